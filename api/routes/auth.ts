/** Account routes: sign-up, sign-in (cookie or token mode), refresh, sign-out, me, sessions, personal API tokens. */
import type { Config } from '../config.js';
import { NotFoundError } from '../errors.js';
import { clearCookie, cookieNames, setCookie } from '../http/cookies.js';
import { route, type RouteSpec } from '../http/route.js';
import type { Services } from '../services/index.js';

export function authRoutes(s: Services, config: Config): RouteSpec[] {
  const names = cookieNames(config.secureCookies);
  const sessionSeconds = config.sessionTtlDays * 86_400;
  return [
    route('authConfig', async () => ({
      signupsAllowed: (await s.settings.get()).allowSignups,
      firstUser: (await s.db.users.estimatedDocumentCount()) === 0,
    })),
    route('signup', async ({ body, ctx }) => ({ user: await s.accounts.signup(body, ctx.ip) })),
    route('login', async ({ body, ctx }) => {
      const signedIn = await s.accounts.login(body, { ip: ctx.ip, userAgent: ctx.get('user-agent'), kind: body.mode === 'cookie' ? 'browser' : 'cli' });
      if (body.mode === 'token') {
        return { user: signedIn.user, accessToken: signedIn.accessToken, refreshToken: signedIn.refreshToken, expiresIn: signedIn.expiresIn };
      }
      setCookie(ctx, names.access, signedIn.accessToken, signedIn.expiresIn, config.secureCookies);
      setCookie(ctx, names.session, signedIn.refreshToken, sessionSeconds, config.secureCookies);
      return { user: signedIn.user, csrfToken: s.accounts.csrfToken(signedIn.sessionId) };
    }),
    route('refresh', async ({ body }) => {
      const { accessToken, expiresIn } = await s.accounts.refresh(body.refreshToken);
      return { accessToken, expiresIn };
    }),
    route('logout', async ({ principal, ctx }) => {
      if (principal) await s.accounts.logout(principal);
      clearCookie(ctx, names.access, config.secureCookies);
      clearCookie(ctx, names.session, config.secureCookies);
    }),
    route('me', async ({ principal }) => ({
      user: await s.accounts.me(principal?.userId ?? ''),
      csrfToken: principal?.via === 'cookie' && principal.sessionId ? s.accounts.csrfToken(principal.sessionId) : null,
    })),
    route('listSessions', async ({ principal }) => ({
      sessions: (await s.accounts.sessions(principal?.userId ?? '')).map((x) => ({ ...x, current: x.id === principal?.sessionId })),
    })),
    route('endSession', async ({ principal, params }) => {
      if (!(await s.accounts.revokeSession(principal?.userId ?? '', params.id))) throw new NotFoundError('No such session.');
    }),
    route('listTokens', async ({ principal }) => ({ tokens: await s.apiTokens.list(principal?.userId ?? '') })),
    route('createToken', async ({ principal, body }) => s.apiTokens.create(principal?.userId ?? '', body)),
    route('revokeToken', async ({ principal, params }) => {
      if (!(await s.apiTokens.revoke(principal?.userId ?? '', params.id))) throw new NotFoundError('No such token.');
    }),
  ];
}
