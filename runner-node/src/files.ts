/**
 * Files the runner serves itself, before the app sees the request:
 * - the project's `static/` folder at /static, unless the app routes /static itself (as the Python
 *   runner does for Starlette apps);
 * - browser libraries installed in the image at /_platform/assets/<package>/<file> (htmx, Swagger UI),
 *   so pages work without reaching a CDN.
 * GET and HEAD only; hidden names and paths leaving the folder are never served.
 */
import { createReadStream, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.woff2': 'font/woff2', '.woff': 'font/woff',
};

/** Packages whose browser files the image serves, and the folder of each that is public. */
const assetPackages: Record<string, string> = { 'htmx.org': 'dist', 'swagger-ui-dist': '' };
export const assetsPrefix = '/_platform/assets/';

const require = createRequire(import.meta.url);
const packageDirs = new Map<string, string | null>();

function packageDir(name: string): string | null {
  if (!packageDirs.has(name)) {
    let dir: string | null;
    try {
      dir = dirname(require.resolve(`${name}/package.json`));
    } catch {
      dir = null;
    }
    packageDirs.set(name, dir);
  }
  return packageDirs.get(name) ?? null;
}

/** The file `relative` names inside `root`, or null when it is hidden, outside or not a file. */
function fileIn(root: string, relative: string): { path: string; stats: Stats } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return null;
  const path = join(root, ...segments);
  if (!path.startsWith(root + sep)) return null;
  try {
    const stats = statSync(path);
    return stats.isFile() ? { path, stats } : null;
  } catch {
    return null;
  }
}

function send(req: IncomingMessage, res: ServerResponse, file: { path: string; stats: Stats }, cacheControl: string): void {
  const modified = file.stats.mtime.toUTCString();
  const headers = {
    'content-type': types[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'last-modified': modified,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  };
  const since = req.headers['if-modified-since'];
  if (since && Date.parse(since) >= Math.floor(file.stats.mtimeMs / 1000) * 1000) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': file.stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
}

export interface FileServer {
  /** Serves the request when it is one of these files; false hands it to the app. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

export function createFileServer(codeDir: string, appRoutesStatic: boolean): FileServer {
  const staticDir = join(codeDir, 'static');
  let hasStatic = false;
  try {
    hasStatic = statSync(staticDir).isDirectory();
  } catch {
    hasStatic = false;
  }
  return {
    serve(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (path.startsWith(assetsPrefix)) {
        const rest = path.slice(assetsPrefix.length);
        const name = Object.keys(assetPackages).find((pkg) => rest.startsWith(`${pkg}/`));
        const dir = name ? packageDir(name) : null;
        const file = name && dir ? fileIn(join(dir, assetPackages[name] ?? ''), rest.slice(name.length + 1)) : null;
        if (!file) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
          return true;
        }
        send(req, res, file, 'public, max-age=86400');
        return true;
      }
      if (!hasStatic || appRoutesStatic || !path.startsWith('/static/')) return false;
      const file = fileIn(staticDir, path.slice('/static/'.length));
      if (!file) return false;
      send(req, res, file, 'no-cache');
      return true;
    },
  };
}
