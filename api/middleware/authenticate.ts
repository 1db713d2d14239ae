/**
 * Resolves who is calling: a bearer access token or personal API token (CLI, CI), or the browser's
 * cookies. An expired access cookie is renewed from the session cookie (one database read every few
 * minutes, not per request). A bearer token that is present but invalid is an error even on public
 * routes; missing credentials just leave the caller anonymous for the route to decide.
 *
 * @example app.use(authenticate({ accounts, apiTokens, config }))
 */
import type { Context, Next } from 'koa';
import type { Config } from '../config.js';
import { AuthenticationError } from '../errors.js';
import { clearCookie, cookieNames, readCookie, setCookie } from '../http/cookies.js';
import type { AccountService, Principal } from '../services/accounts.js';
import type { ApiTokenService } from '../services/api-tokens.js';

export function authenticate(deps: { accounts: AccountService; apiTokens: ApiTokenService; config: Config }) {
  const names = cookieNames(deps.config.secureCookies);
  return async function resolvePrincipal(ctx: Context, next: Next): Promise<void> {
    let principal: Principal | undefined;
    const header = ctx.get('authorization');
    if (header) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
      principal = token.startsWith('fpt_') ? await deps.apiTokens.authenticate(token) : await deps.accounts.fromAccessToken(token, 'bearer');
      if (!principal) throw new AuthenticationError('The token is invalid, expired or revoked; sign in again or create a new token.');
    } else {
      const access = readCookie(ctx, names.access);
      principal = access ? await deps.accounts.fromAccessToken(access, 'cookie') : undefined;
      const session = readCookie(ctx, names.session);
      if (!principal && session) {
        try {
          const renewed = await deps.accounts.refresh(session);
          setCookie(ctx, names.access, renewed.accessToken, renewed.expiresIn, deps.config.secureCookies);
          principal = await deps.accounts.fromAccessToken(renewed.accessToken, 'cookie');
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          clearCookie(ctx, names.access, deps.config.secureCookies);
          clearCookie(ctx, names.session, deps.config.secureCookies);
        }
      }
    }
    ctx.state.principal = principal ?? null;
    await next();
  };
}
