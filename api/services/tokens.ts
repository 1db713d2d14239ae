/**
 * Tokens. An access token is short-lived and self-contained (HMAC-signed: user, session, admin flag,
 * expiry), so most requests need no database read. A session (refresh) token and a personal API token
 * are random, stored only as SHA-256 hashes, and revocable. Prefixes tell them apart at a glance:
 * `fpa.` access, `fps_` session, `fpt_` personal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hmac, safeEqual } from './secrets.js';

export interface AccessClaims {
  /** user id */
  readonly sub: string;
  /** session public id */
  readonly sid: string;
  readonly adm: boolean;
  /** issued at, milliseconds since the epoch (revocations cut off tokens issued before them) */
  readonly iat: number;
  /** expiry, seconds since the epoch */
  readonly exp: number;
}

export function signAccessToken(key: Buffer, claims: AccessClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `fpa.${payload}.${hmac(key, payload)}`;
}

/** The claims of a valid, unexpired access token, or undefined. */
export function verifyAccessToken(key: Buffer, token: string, nowSeconds: number): AccessClaims | undefined {
  const [prefix, payload, signature] = token.split('.');
  if (prefix !== 'fpa' || !payload || !signature || !safeEqual(hmac(key, payload), signature)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessClaims;
    return typeof claims.sub === 'string' && typeof claims.exp === 'number' && claims.exp > nowSeconds ? claims : undefined;
  } catch {
    return undefined;
  }
}

export function newSecretToken(prefix: 'fps_' | 'fpt_'): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
