/** Account routes: sign-up, sign-in (cookie or token mode), refresh, sign-out, me, sessions, personal API tokens. */
import { z } from 'zod';
import type { Config } from '../config.js';
import { NotFoundError } from '../errors.js';
import { clearCookie, cookieNames, setCookie } from '../http/cookies.js';
import { route, type RouteSpec } from '../http/route.js';
import {
  apiTokenSchema, authConfigResponse, createdTokenSchema, idParams, loginBody, loginResponse, meResponse, refreshBody, refreshResponse,
  sessionSchema, signupBody, tokenCreateBody, userSchema,
} from '../schemas/accounts.js';
import type { Services } from '../services/index.js';

export function authRoutes(s: Services, config: Config): RouteSpec[] {
  const names = cookieNames(config.secureCookies);
  const sessionSeconds = config.sessionTtlDays * 86_400;
  return [
    route({
      method: 'get', path: '/api/auth/config', tag: 'auth', auth: 'public', summary: 'Whether sign-ups are open',
      response: authConfigResponse,
      handler: async () => ({
        signupsAllowed: (await s.settings.get()).allowSignups,
        firstUser: (await s.db.users.estimatedDocumentCount()) === 0,
      }),
    }),
    route({
      method: 'post', path: '/api/auth/signup', tag: 'auth', auth: 'public', summary: 'Create an account (the first one is admin)',
      body: signupBody, response: z.object({ user: userSchema }), status: 201,
      handler: async ({ body, ctx }) => ({ user: await s.accounts.signup(body, ctx.ip) }),
    }),
    route({
      method: 'post', path: '/api/auth/login', tag: 'auth', auth: 'public', summary: 'Sign in: cookies for the browser, tokens for the CLI',
      body: loginBody, response: loginResponse,
      handler: async ({ body, ctx }) => {
        const signedIn = await s.accounts.login(body, { ip: ctx.ip, userAgent: ctx.get('user-agent'), kind: body.mode === 'cookie' ? 'browser' : 'cli' });
        if (body.mode === 'token') {
          return { user: signedIn.user, accessToken: signedIn.accessToken, refreshToken: signedIn.refreshToken, expiresIn: signedIn.expiresIn };
        }
        setCookie(ctx, names.access, signedIn.accessToken, signedIn.expiresIn, config.secureCookies);
        setCookie(ctx, names.session, signedIn.refreshToken, sessionSeconds, config.secureCookies);
        return { user: signedIn.user, csrfToken: s.accounts.csrfToken(signedIn.sessionId) };
      },
    }),
    route({
      method: 'post', path: '/api/auth/refresh', tag: 'auth', auth: 'public', summary: 'A new access token for a session (CLI)',
      body: refreshBody, response: refreshResponse,
      handler: async ({ body }) => {
        const { accessToken, expiresIn } = await s.accounts.refresh(body.refreshToken);
        return { accessToken, expiresIn };
      },
    }),
    route({
      method: 'post', path: '/api/auth/logout', tag: 'auth', auth: 'user', summary: 'End this session',
      handler: async ({ principal, ctx }) => {
        if (principal) await s.accounts.logout(principal);
        clearCookie(ctx, names.access, config.secureCookies);
        clearCookie(ctx, names.session, config.secureCookies);
      },
    }),
    route({
      method: 'get', path: '/api/auth/me', tag: 'auth', auth: 'user', summary: 'The signed-in user (and the CSRF token for cookie sessions)',
      response: meResponse,
      handler: async ({ principal }) => ({
        user: await s.accounts.me(principal?.userId ?? ''),
        csrfToken: principal?.via === 'cookie' && principal.sessionId ? s.accounts.csrfToken(principal.sessionId) : null,
      }),
    }),
    route({
      method: 'get', path: '/api/auth/sessions', tag: 'auth', auth: 'user', summary: 'Your signed-in sessions',
      response: z.object({ sessions: z.array(sessionSchema) }),
      handler: async ({ principal }) => ({
        sessions: (await s.accounts.sessions(principal?.userId ?? '')).map((x) => ({ ...x, current: x.id === principal?.sessionId })),
      }),
    }),
    route({
      method: 'delete', path: '/api/auth/sessions/:id', tag: 'auth', auth: 'user', summary: 'End one of your sessions',
      params: idParams,
      handler: async ({ principal, params }) => {
        if (!(await s.accounts.revokeSession(principal?.userId ?? '', params.id))) throw new NotFoundError('No such session.');
      },
    }),
    route({
      method: 'get', path: '/api/auth/tokens', tag: 'auth', auth: 'user', summary: 'Your personal API tokens',
      response: z.object({ tokens: z.array(apiTokenSchema) }),
      handler: async ({ principal }) => ({ tokens: await s.apiTokens.list(principal?.userId ?? '') }),
    }),
    route({
      method: 'post', path: '/api/auth/tokens', tag: 'auth', auth: 'user', summary: 'Create a personal API token (shown once)',
      body: tokenCreateBody, response: createdTokenSchema, status: 201,
      handler: async ({ principal, body }) => s.apiTokens.create(principal?.userId ?? '', body),
    }),
    route({
      method: 'delete', path: '/api/auth/tokens/:id', tag: 'auth', auth: 'user', summary: 'Revoke a personal API token',
      params: idParams,
      handler: async ({ principal, params }) => {
        if (!(await s.apiTokens.revoke(principal?.userId ?? '', params.id))) throw new NotFoundError('No such token.');
      },
    }),
  ];
}
