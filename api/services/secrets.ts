/**
 * Keys derived from SECRET_KEY (HKDF-SHA256, one per purpose), and encryption of env-var values at
 * rest with AES-256-GCM. The ciphertext is bound to its app and variable name (associated data), so a
 * value copied into another app or variable does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Keys {
  readonly encryption: Buffer;
  readonly tokens: Buffer;
  readonly csrf: Buffer;
  /** Each tenant database's administrator password is derived from this and the tenant (Kubernetes). */
  readonly tenantDatabases: Buffer;
}

export function deriveKeys(secretKey: string): Keys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secretKey, 'fastapi-platform', purpose, 32));
  return { encryption: derive('env-vars/v1'), tokens: derive('access-tokens/v1'), csrf: derive('csrf/v1'), tenantDatabases: derive('tenant-database-admin/v1') };
}

export function encryptValue(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

export function decryptValue(key: Buffer, sealed: string, context: string): string {
  const [version, iv, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !body) throw new Error('not an encrypted value');
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}

export function hmac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
