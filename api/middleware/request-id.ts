/**
 * Gives every request an id (the caller's X-Request-Id when it is well-formed) and echoes it back, so
 * a 5xx reported by a user can be found in the logs.
 *
 * @example app.use(requestId())
 */
import { randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';

export function requestId() {
  return async function assignRequestId(ctx: Context, next: Next): Promise<void> {
    const given = ctx.get('x-request-id');
    const id = /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomBytes(9).toString('base64url');
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
