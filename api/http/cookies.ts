/**
 * The browser session's cookies: `__Host-` prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ (written by
 * hand because Koa refuses Secure cookies on plain-HTTP localhost, which browsers accept as secure).
 */
import type { Context } from 'koa';

export interface CookieNames {
  readonly access: string;
  readonly session: string;
}

export function cookieNames(secure: boolean): CookieNames {
  return secure ? { access: '__Host-fp_access', session: '__Host-fp_session' } : { access: 'fp_access', session: 'fp_session' };
}

export function setCookie(ctx: Context, name: string, value: string, maxAgeSeconds: number, secure: boolean): void {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  ctx.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(ctx: Context, name: string, secure: boolean): void {
  setCookie(ctx, name, '', 0, secure);
}

export function readCookie(ctx: Context, name: string): string | undefined {
  const header = ctx.get('cookie');
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
