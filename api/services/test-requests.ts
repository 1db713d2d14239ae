/**
 * What the test panel may send to an app: the user's own headers, minus what would leak the platform
 * session into the app (the platform's cookies, and an Authorization header carrying a platform token)
 * and minus hop-by-hop and routing headers the proxy sets itself. An Authorization header of the app's
 * own (`Bearer my-app-token`) passes through: testing an app's auth is the point.
 */
const dropped = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer',
  'content-length', 'x-platform-request-id', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-prefix', 'forwarded']);
const platformToken = /\b(fpa\.|fps_|fpt_)/;
const platformCookie = /^(__Host-)?fp_(access|session)$/;

export function sanitizeTestHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (dropped.has(name)) continue;
    if (name === 'authorization' && platformToken.test(value)) continue;
    if (name === 'cookie') {
      const kept = value.split(';').map((c) => c.trim()).filter((c) => c && !platformCookie.test(c.split('=')[0]?.trim() ?? ''));
      if (kept.length > 0) clean.cookie = kept.join('; ');
      continue;
    }
    clean[name] = value;
  }
  return clean;
}
