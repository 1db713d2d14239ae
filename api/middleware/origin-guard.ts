/**
 * Cross-site protection. Requests whose Origin is a user app (`app-<id>.<APP_DOMAIN>`) are refused
 * outright: an app must never drive the platform with its visitor's session. A cookie-authenticated
 * unsafe request must come from the platform's own origin (or a configured CORS origin) and carry the
 * session's CSRF token; so must a sign-in from a browser. Bearer-token requests carry no ambient
 * credentials and need neither.
 *
 * @example app.use(originGuard({ accounts, config }))
 */
import type { Context, Next } from 'koa';
import type { Config } from '../config.js';
import { NotAllowedError } from '../errors.js';
import type { AccountService, Principal } from '../services/accounts.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isAppOrigin(origin: string, appDomain: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return /^app-[a-z0-9]+\./.test(host) && host.endsWith(`.${appDomain}`);
  } catch {
    return false;
  }
}

export function originGuard(deps: { accounts: AccountService; config: Config }) {
  const trusted = new Set([deps.config.publicOrigin, ...deps.config.corsOrigins]);
  return async function guardOrigin(ctx: Context, next: Next): Promise<void> {
    const origin = ctx.get('origin');
    if (origin && isAppOrigin(origin, deps.config.appDomain)) {
      throw new NotAllowedError('Requests from user apps are refused by the platform API.');
    }
    const principal = ctx.state.principal as Principal | null;
    if (!safeMethods.has(ctx.method)) {
      // A browser sends Origin on every cross-origin and every unsafe request.
      if (origin && !trusted.has(origin)) throw new NotAllowedError(`Requests from ${origin} are not allowed.`);
      if (principal?.via === 'cookie') {
        if (!origin) throw new NotAllowedError('A cookie-authenticated change needs an Origin header.');
        if (!principal.sessionId || !deps.accounts.checkCsrf(principal.sessionId, ctx.get('x-csrf-token') || undefined)) {
          throw new NotAllowedError('The CSRF token is missing or wrong; reload the page.');
        }
      }
    }
    await next();
  };
}
