/** The real Node runner serving real Hono and plain fetch-handler projects, one process each. */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.js';
import { startRunner, unixGet, type RunnerOptions } from '../helpers/runner.js';

const ts = (t: Parameters<typeof startRunner>[0], options: Omit<RunnerOptions, 'language'>) => startRunner(t, { ...options, language: 'typescript' });


const hello = `import { Hono } from 'hono';

interface Greeting { hello: string }

const app = new Hono();
app.get('/', (c) => c.json<Greeting>({ hello: 'world' }));
app.get('/who', (c) => c.json({ url: c.req.url }));
export default app;
`;

test('serves a hello Hono app written in TypeScript once the probe path answers 200', async (t) => {
  const runner = await ts(t, { files: { 'app.ts': hello } });
  const res = await fetch(`${runner.url}/`);
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { hello: 'world' });
  const health = await fetch(`${runner.url}/_platform/health`);
  t.is(health.status, 200);
  t.is(health.headers.get('x-platform-instance'), runner.instance);
  t.deepEqual(runner.events().find((e) => e.fp === 'imported'), { fp: 'imported', framework: 'hono', entrypoint: 'app.ts' });
});

test('PORT=0: the runner reports the port the kernel gave it; a fixed PORT and FP_LISTEN=tcp:<host>:<port> are kept', async (t) => {
  const picked = await ts(t, { files: { 'app.ts': hello } });
  t.like(picked.events().find((e) => e.fp === 'listening'), { host: '127.0.0.1' });
  t.true(picked.port > 0);
  const port = await freePort();
  const fixed = await ts(t, { files: { 'app.ts': hello }, env: { PORT: String(port) } });
  t.is(fixed.port, port);
  const other = await freePort();
  const listen = await ts(t, { files: { 'app.ts': hello }, env: { FP_LISTEN: `tcp:127.0.0.1:${other}`, PORT: '1' } });
  t.like(listen.events().find((e) => e.fp === 'listening'), { listen: `tcp:127.0.0.1:${other}`, port: other });
});

test("FP_LISTEN=unix:<path> (the local sandbox): serves on that socket, reports it, and trusts its peer's X-Forwarded-Proto", async (t) => {
  const socketDir = await mkdtemp(join(tmpdir(), 'fp-sock-'));
  t.teardown(() => rm(socketDir, { recursive: true, force: true }));
  const path = join(socketDir, 'app.sock');
  const runner = await ts(t, { files: { 'app.ts': hello }, env: { FP_LISTEN: `unix:${path}` }, waitHealthy: false });
  const deadline = Date.now() + 20_000;
  while (!runner.events().some((e) => e.fp === 'listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.like(runner.events().find((e) => e.fp === 'listening'), { listen: `unix:${path}`, path });
  const health = await unixGet(path, '/_platform/health');
  t.is(health.status, 200);
  t.is(health.headers['x-platform-instance'], runner.instance);
  t.deepEqual(JSON.parse((await unixGet(path, '/who', { 'x-forwarded-proto': 'https' })).body), { url: 'https://app.test/who' });
  t.deepEqual(JSON.parse((await unixGet(path, '/who')).body), { url: 'http://app.test/who' });
});

test('fails when an untrusted client sends X-Forwarded-Proto over TCP: the header is ignored', async (t) => {
  const runner = await ts(t, { files: { 'app.ts': hello }, env: { FORWARDED_ALLOW_IPS: '10.0.0.0/8' } });
  const res = await fetch(`${runner.url}/who`, { headers: { 'x-forwarded-proto': 'https' } });
  t.regex((await res.json() as { url: string }).url, /^http:\/\//);
});

test('fails when FP_LISTEN is not unix:<path>, tcp:<port> or tcp:<host>:<port>: a config start-failed line and exit 3', async (t) => {
  for (const value of ['bogus', 'unix:relative.sock', 'tcp:99999', 'tcp:']) {
    const runner = await ts(t, { files: { 'app.ts': hello }, env: { FP_LISTEN: value }, waitHealthy: false });
    t.is((await runner.exited).code, 3, value);
    t.like(runner.events().find((e) => e.fp === 'start-failed'), { type: 'ConfigError', phase: 'config' }, value);
  }
});

test('imports sibling modules the TypeScript way (./x.js for x.ts, no extension, a folder index), .tsx with hono/jsx, and plain .mjs', async (t) => {
  const runner = await ts(t, {
    files: {
      'app.ts': `import { Hono } from 'hono';
import { total } from './lib/math.js';
import { shout } from './lib/text';
import { routes } from './routes';
import { Page } from './page.tsx';
import { twice } from './legacy.mjs';
const app = new Hono();
app.get('/', (c) => c.json({ total: total([1, 2, 3]), shout: shout('hi'), twice: twice(4) }));
app.get('/page', (c) => c.html(Page({ title: 'Typed' })));
app.route('/api', routes);
export default app;
`,
      'lib/math.ts': 'export const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);\n',
      'lib/text.ts': 'export function shout(s: string): string { return s.toUpperCase(); }\n',
      'routes/index.ts': "import { Hono } from 'hono';\nexport const routes = new Hono().get('/ping', (c) => c.text('pong'));\n",
      'page.tsx': 'export function Page(props: { title: string }) {\n  return <html><body><h1>{props.title}</h1></body></html>;\n}\n',
      'legacy.mjs': 'export function twice(n) { return n * 2; }\n',
    },
  });
  t.deepEqual(await (await fetch(`${runner.url}/`)).json(), { total: 6, shout: 'HI', twice: 8 });
  t.regex(await (await fetch(`${runner.url}/page`)).text(), /<h1>Typed<\/h1>/);
  t.is(await (await fetch(`${runner.url}/api/ping`)).text(), 'pong');
});

test('any object with a web-standard fetch() is an app', async (t) => {
  const runner = await ts(t, { files: { 'main.ts': 'export default {\n  fetch(request: Request): Response {\n    return new Response(`you asked for ${new URL(request.url).pathname}`);\n  },\n};\n' }, entrypoint: 'main.ts' });
  t.is(await (await fetch(`${runner.url}/x/y`)).text(), 'you asked for /x/y');
  t.like(runner.events().find((e) => e.fp === 'imported'), { framework: 'fetch', entrypoint: 'main.ts' });
});

test('serves static/ at /static with Last-Modified, unless the app routes /static itself; /health is the user\'s', async (t) => {
  const runner = await ts(t, {
    files: {
      'app.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/health', (c) => c.text('mine'));\nexport default app;\n",
      'static/site.css': 'body { color: teal }\n',
      'static/.secret': 'hidden\n',
    },
  });
  const css = await fetch(`${runner.url}/static/site.css`);
  t.is(css.status, 200);
  t.is(css.headers.get('content-type'), 'text/css; charset=utf-8');
  t.is(await css.text(), 'body { color: teal }\n');
  const again = await fetch(`${runner.url}/static/site.css`, { headers: { 'if-modified-since': css.headers.get('last-modified') ?? '' } });
  t.is(again.status, 304);
  t.is((await fetch(`${runner.url}/static/.secret`)).status, 404);
  t.is((await fetch(`${runner.url}/static/..%2Fapp.ts`)).status, 404);
  t.is(await (await fetch(`${runner.url}/health`)).text(), 'mine');
  const own = await ts(t, {
    files: { 'app.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/static/*', (c) => c.text('routed by the app'));\nexport default app;\n", 'static/site.css': 'x' },
  });
  t.is(await (await fetch(`${own.url}/static/site.css`)).text(), 'routed by the app');
});

test('htmx and Swagger UI come from the image at /_platform/assets, never a CDN; nothing else is there', async (t) => {
  const runner = await ts(t, { files: { 'app.ts': hello } });
  const htmx = await fetch(`${runner.url}/_platform/assets/htmx.org/htmx.min.js`);
  t.is(htmx.status, 200);
  t.is(htmx.headers.get('content-type'), 'text/javascript; charset=utf-8');
  t.regex(await htmx.text(), /htmx/);
  t.is((await fetch(`${runner.url}/_platform/assets/swagger-ui-dist/swagger-ui-bundle.js`)).status, 200);
  t.is((await fetch(`${runner.url}/_platform/assets/swagger-ui-dist/swagger-ui.css`)).status, 200);
  for (const path of ['hono/package.json', 'htmx.org/../package.json', 'zod/index.js', 'swagger-ui-dist/%2e%2e/package.json']) {
    t.is((await fetch(`${runner.url}/_platform/assets/${path}`)).status, 404, path);
  }
});

test('the listener starts only after top-level await in the entry module finished', async (t) => {
  const runner = await ts(t, {
    files: { 'app.ts': "import { Hono } from 'hono';\nconst ready = await new Promise<number>((resolve) => setTimeout(() => resolve(Date.now()), 700));\nconst app = new Hono();\napp.get('/', (c) => c.json({ ready }));\nexport default app;\n" },
    waitHealthy: false,
  });
  const begin = Date.now();
  while (!runner.events().some((e) => e.fp === 'listening') && Date.now() - begin < 20_000) await new Promise((r) => setTimeout(r, 20));
  const { ready } = await (await fetch(`${runner.url}/`)).json() as { ready: number };
  t.true(ready > 0);
  const imported = runner.events().findIndex((e) => e.fp === 'imported');
  t.true(imported >= 0 && imported < runner.events().findIndex((e) => e.fp === 'listening'));
});
