/**
 * The UI before a change, for bench/ui to measure beside the current one in the same run: the
 * reference commit's ui/, contract/ and validation/ built with this checkout's packages (cached per
 * commit under the test-bed cache), served by the API's own static handler on a port of its own, with
 * every other request proxied to the platform under test (its Origin rewritten, so the API's origin
 * guard sees its own page). Cookies ignore ports, so one sign-in serves both UIs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { uiStatic } from '../api/http/ui-static.js';
import { freePort } from '../scripts/lib/ports.js';
import { repoRoot } from '../test/bed/paths.js';

/** The UI as issue 17 found it (main before the editor-UI work); BENCH_UI_REF overrides it. */
export const defaultReference = '17ca6ae';

/** Builds (once per commit) the reference UI; returns its dist directory and the full commit id. */
export async function buildReference(ref = process.env.BENCH_UI_REF ?? defaultReference): Promise<{ dist: string; commit: string }> {
  const commit = execFileSync('git', ['-C', repoRoot, 'rev-parse', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const cache = process.env.FP_CACHE_DIR ?? join(homedir(), '.cache', 'fastapi-platform');
  const dist = join(cache, `ui-reference-${commit.slice(0, 12)}`);
  if (existsSync(join(dist, 'index.html'))) return { dist: `${dist}/`, commit };
  const work = await mkdtemp(join(tmpdir(), 'fp-ui-ref-'));
  try {
    execFileSync('bash', ['-c', `git -C "${repoRoot}" archive ${commit} ui contract validation package.json tsconfig.base.json | tar -x -C "${work}"`]);
    await symlink(join(repoRoot, 'node_modules'), join(work, 'node_modules'));
    execFileSync(join(repoRoot, 'node_modules/.bin/vite'), ['build', '--config', join(work, 'ui/vite.config.ts'), '--logLevel', 'warn'], { cwd: work, stdio: 'inherit' });
    await mkdir(cache, { recursive: true });
    await rm(dist, { recursive: true, force: true });
    await cp(join(work, 'ui/dist'), dist, { recursive: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { dist: `${dist}/`, commit };
}

/** Serves `dist` on a free port, everything else proxied to `platformUrl`; returns its URL and a stop. */
export async function serveReference(dist: string, platformUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(platformUrl);
  const koa = new Koa();
  koa.use(uiStatic(dist));
  const ui = koa.callback();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith('/api/') && path !== '/healthz') return void ui(req, res);
    const headers = { ...req.headers, host: target.host, ...(req.headers.origin ? { origin: target.origin } : {}) };
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.statusCode = 502; res.end(); });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://localhost:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
