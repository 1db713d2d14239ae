/**
 * CORS for the configured origins only (none by default: the UI is same-origin). An allowed origin
 * may send credentials; any other origin gets no CORS headers, so browsers block its reads.
 *
 * @example app.use(cors({ origins: ['https://admin.example.com'] }))
 */
import type { Context, Next } from 'koa';

export function cors(options: { origins: readonly string[] }) {
  const allowed = new Set(options.origins);
  return async function allowConfiguredOrigins(ctx: Context, next: Next): Promise<void> {
    const origin = ctx.get('origin');
    if (origin && allowed.has(origin)) {
      ctx.vary('Origin');
      ctx.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
      if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
        ctx.set({
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
          'Access-Control-Allow-Headers': 'authorization, content-type, x-csrf-token, idempotency-key, x-request-id',
          'Access-Control-Max-Age': '600',
        });
        ctx.status = 204;
        return;
      }
    }
    await next();
  };
}
