/**
 * The one place errors become HTTP (STYLE.md §8): each domain error class maps to a status and the
 * body `{ error: { code, message, details } }`. Body-parser and routing errors become the same shape.
 * A 5xx says only that something failed, with the request id, and is logged; a 4xx is never logged.
 *
 * @example app.use(errorHandler({ log: console.error }))
 */
import type { Context, Next } from 'koa';
import {
  AuthenticationError, ConflictError, InputError, MethodNotAllowedError, NotAllowedError, NotFoundError, PayloadTooLargeError, PlatformError,
  RateLimitedError, UnavailableError,
} from '../errors.js';

const statuses: [new (...args: never[]) => PlatformError, number][] = [
  [InputError, 400], [AuthenticationError, 401], [NotAllowedError, 403], [NotFoundError, 404], [MethodNotAllowedError, 405],
  [ConflictError, 409], [PayloadTooLargeError, 413], [RateLimitedError, 429], [UnavailableError, 503],
];

/** Errors thrown by Koa's body parser and router carry an HTTP status; give them the same shape. */
function fromHttpError(error: { status?: number; statusCode?: number; message?: string; type?: string; name?: string }): PlatformError | undefined {
  const status = error.status ?? error.statusCode;
  if (status === 413) return new PayloadTooLargeError('The request body is larger than the platform accepts (2 MB).');
  if (status === 415) return new InputError('Send the body as application/json.');
  if (status === 400) {
    const badJson = error.type === 'entity.parse.failed' || error.name === 'SyntaxError' || /JSON/.test(error.message ?? '');
    return new InputError(badJson ? 'The body is not valid JSON.' : 'Bad request.', { details: { reason: error.message } });
  }
  if (status === 405 || status === 501) return new MethodNotAllowedError('This method is not allowed here.', []);
  return undefined;
}

export function errorHandler(options: { log: (message: string) => void }) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`No route ${ctx.method} ${ctx.path}.`);
      if ((ctx.status === 405 || ctx.status === 501) && !ctx.body) {
        // The router's answer for a path that exists without this method: the same JSON shape.
        const allowed = ctx.response.get('Allow').split(',').map((m) => m.trim()).filter(Boolean);
        throw new MethodNotAllowedError(`${ctx.method} is not allowed on ${ctx.path}; use ${allowed.join(', ') || 'another method'}.`, allowed);
      }
    } catch (thrown) {
      // Nothing can be answered: the response went out, or the server cut the connection (a request
      // that did not arrive within the request timeout; Node answered 408 itself).
      if (ctx.headerSent || ctx.res.writableEnded || ctx.req.socket.destroyed) return;
      const error = thrown instanceof PlatformError ? thrown : fromHttpError(thrown as Record<string, never>) ?? thrown;
      const requestId = String(ctx.state.requestId ?? '');
      if (error instanceof PlatformError) {
        const status = statuses.find(([cls]) => error instanceof cls)?.[1] ?? 500;
        ctx.status = status;
        if (error instanceof RateLimitedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
        if (error instanceof MethodNotAllowedError && error.allowed.length > 0) ctx.set('Allow', error.allowed.join(', '));
        ctx.body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
        if (status >= 500) options.log(`[${requestId}] ${ctx.method} ${ctx.path} ${status}: ${error.message}`);
        return;
      }
      options.log(`[${requestId}] ${ctx.method} ${ctx.path} 500: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: `Something failed on our side; quote request id ${requestId}.`, details: { requestId } } };
    }
  };
}
