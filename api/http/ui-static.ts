/**
 * The editor UI's files (`ui/dist`, built by Vite) served by the API's own server, so one port serves
 * everything: hashed assets cached for a year (their precompressed .gz when the browser takes gzip),
 * any other non-API GET gets index.html (the UI routes on the client) under a strict Content Security
 * Policy. Before the UI is built, `/` says so and points at the API docs.
 */
import type { Middleware } from 'koa';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const uiDist = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json',
};

/** Scripts only from here; Monaco sets inline styles and starts its worker from a same-origin file. */
export const uiCsp = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "connect-src 'self'", "worker-src 'self' blob:", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'",
].join('; ');

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>FastAPI Platform</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>FastAPI Platform</h1><p>The API is running. The editor UI is not built in this checkout yet (<code>npm run build:ui</code>);
the API and its interactive docs are at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

export function uiStatic(dir = uiDist): Middleware {
  return async function serveUi(ctx, next) {
    if (!['GET', 'HEAD'].includes(ctx.method) || ctx.path.startsWith('/api/') || ctx.path === '/api' || ctx.path === '/healthz') return next();
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      if (ctx.path !== '/') return next();
      ctx.type = 'text/html';
      ctx.body = notBuilt;
      return;
    }
    let path: string;
    try {
      path = normalize(join(dir, decodeURIComponent(ctx.path)));
    } catch {
      return next();
    }
    if (path.startsWith(dir) && extname(path) && existsSync(path)) {
      ctx.type = types[extname(path)] ?? 'application/octet-stream';
      ctx.set('Cache-Control', ctx.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      ctx.vary('Accept-Encoding');
      const gzipped = `${path}.gz`;
      if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip' && existsSync(gzipped)) {
        ctx.set('Content-Encoding', 'gzip');
        ctx.body = await readFile(gzipped);
      } else {
        ctx.body = await readFile(path);
      }
      return;
    }
    if (extname(ctx.path)) return next();
    ctx.type = 'text/html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', uiCsp);
    ctx.body = await readFile(index);
  };
}
