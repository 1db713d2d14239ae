/**
 * Security headers on every API response: no sniffing, no framing, no referrer leaks, no caching of
 * authenticated data, same-origin resource policy, and HSTS when served over HTTPS.
 *
 * @example app.use(securityHeaders({ hsts: true }))
 */
import type { Context, Next } from 'koa';

export function securityHeaders(options: { hsts: boolean }) {
  return async function setSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    ctx.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    });
    if (options.hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
    if (ctx.path.startsWith('/api/')) {
      ctx.set('Cache-Control', ctx.response.get('Cache-Control') || 'no-store');
      if (ctx.path !== '/api/docs') ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      else ctx.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    }
  };
}
