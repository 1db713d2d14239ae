/**
 * Methods the platform never answers (TRACE, CONNECT, WebDAV's PROPFIND…) get a 405 in the usual
 * JSON shape, with `Allow`, before anything else looks at the request: TRACE in particular would
 * echo a request's cookies back to a script.
 *
 * @example app.use(methodGuard())
 */
import type { Context, Next } from 'koa';
import { MethodNotAllowedError } from '../errors.js';

export const platformMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function methodGuard() {
  const known = new Set<string>(platformMethods);
  return async function refuseUnknownMethods(ctx: Context, next: Next): Promise<void> {
    if (!known.has(ctx.method)) {
      throw new MethodNotAllowedError(`The platform does not answer ${ctx.method}; use ${platformMethods.join(', ')}.`, platformMethods);
    }
    await next();
  };
}
