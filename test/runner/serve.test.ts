/** The real runner serving real FastAPI, FastHTML, Starlette and bare ASGI projects, one process each. */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.js';
import { startRunner, unixGet } from '../helpers/runner.js';


const hello = `from fastapi import FastAPI
app = FastAPI()

@app.get("/")
def index():
    return {"hello": "world"}
`;

test('serves a hello FastAPI app once the probe path answers 200', async (t) => {
  const runner = await startRunner(t, { files: { 'app.py': hello } });
  const res = await fetch(`${runner.url}/`);
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { hello: 'world' });
  const health = await fetch(`${runner.url}/_platform/health`);
  t.is(health.status, 200);
  t.deepEqual(runner.events().find((e) => e.fp === 'imported'), { fp: 'imported', framework: 'fastapi', entrypoint: 'app.py' });
});

test('PORT=0 (the local runtime): the runner reports the port the kernel gave it; a fixed PORT (the pod\'s 8000) is kept', async (t) => {
  const picked = await startRunner(t, { files: { 'app.py': hello } });
  const listening = picked.events().find((e) => e.fp === 'listening');
  t.like(listening, { host: '127.0.0.1' });
  t.true(typeof listening?.port === 'number' && listening.port > 0);
  const port = await freePort();
  const fixed = await startRunner(t, { files: { 'app.py': hello }, env: { PORT: String(port) } });
  t.is(fixed.port, port);
  t.deepEqual(await (await fetch(`http://127.0.0.1:${port}/`)).json(), { hello: 'world' });
});

test('FP_LISTEN=unix:<path> (the local sandbox): serves on that socket, reports it, and trusts its peer\'s forwarded headers', async (t) => {
  const socketDir = await mkdtemp(join(tmpdir(), 'fp-sock-'));
  t.teardown(() => rm(socketDir, { recursive: true, force: true }));
  const path = join(socketDir, 'app.sock');
  const files = { 'app.py': `${hello}
from fastapi import Request

@app.get("/who")
def who(request: Request):
    return {"client": request.client.host if request.client else None, "scheme": request.url.scheme}
` };
  const runner = await startRunner(t, { files, env: { FP_LISTEN: `unix:${path}` }, waitHealthy: false });
  const deadline = Date.now() + 20_000;
  while (!runner.events().some((e) => e.fp === 'listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.like(runner.events().find((e) => e.fp === 'listening'), { listen: `unix:${path}`, path });
  const health = await unixGet(path, '/_platform/health');
  t.is(health.status, 200);
  t.is(health.headers['x-platform-instance'], runner.instance);
  const who = await unixGet(path, '/who', { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' });
  t.deepEqual(JSON.parse(who.body), { client: '203.0.113.9', scheme: 'https' });
});

test('fails when FP_LISTEN is not unix:<path>, tcp:<port> or tcp:<host>:<port>: a config start-failed line and exit 3', async (t) => {
  for (const value of ['bogus', 'unix:relative.sock', 'tcp:99999', 'tcp:']) {
    const runner = await startRunner(t, { files: { 'app.py': hello }, env: { FP_LISTEN: value }, waitHealthy: false });
    const exit = await runner.exited;
    t.is(exit.code, 3, value);
    t.like(runner.events().find((e) => e.fp === 'start-failed'), { type: 'ConfigError', phase: 'config' }, value);
  }
});

test('FP_LISTEN=tcp:<host>:<port> wins over PORT and FP_HOST', async (t) => {
  const port = await freePort();
  const runner = await startRunner(t, { files: { 'app.py': hello }, env: { FP_LISTEN: `tcp:127.0.0.1:${port}`, PORT: '1' } });
  t.is(runner.port, port);
  t.like(runner.events().find((e) => e.fp === 'listening'), { listen: `tcp:127.0.0.1:${port}` });
});

test("serves FastHTML's fast_app() from a read-only code directory", async (t) => {
  const runner = await startRunner(t, {
    files: {
      'app.py': `from fasthtml.common import *
app, rt = fast_app()

@rt("/")
def get():
    return Titled("Hi there", P("from FastHTML"))
`,
    },
  });
  const res = await fetch(`${runner.url}/`);
  t.is(res.status, 200);
  const html = await res.text();
  t.regex(html, /<title>Hi there<\/title>/);
  t.regex(html, /from FastHTML/);
});

test('imports a sibling module, a package, and a relative import inside the package', async (t) => {
  const runner = await startRunner(t, {
    files: {
      'app.py': `from fastapi import FastAPI
import helpers
from pkg import greet
app = FastAPI()

@app.get("/")
def index():
    return {"sibling": helpers.NAME, "package": greet("Ada")}
`,
      'helpers.py': 'NAME = "helpers"\n',
      'pkg/__init__.py': 'from .greeting import greet\n',
      'pkg/greeting.py': 'from .words import HELLO\n\ndef greet(name):\n    return f"{HELLO}, {name}"\n',
      'pkg/words.py': 'HELLO = "Hello"\n',
    },
  });
  t.deepEqual(await (await fetch(`${runner.url}/`)).json(), { sibling: 'helpers', package: 'Hello, Ada' });
});

test('serves a file from static/ at /static', async (t) => {
  const runner = await startRunner(t, { files: { 'app.py': hello, 'static/css/site.css': 'body { color: teal }\n' } });
  const res = await fetch(`${runner.url}/static/css/site.css`);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /text\/css/);
  t.is(await res.text(), 'body { color: teal }\n');
});

test("a user-defined /health belongs to the user, not the platform", async (t) => {
  const runner = await startRunner(t, {
    files: { 'app.py': `${hello}\n@app.get("/health")\ndef health():\n    return {"mine": True, "db": "ok"}\n` },
  });
  t.deepEqual(await (await fetch(`${runner.url}/health`)).json(), { mine: true, db: 'ok' });
});

test('/docs loads and fetches its schema through a relative URL, also behind a path prefix', async (t) => {
  const runner = await startRunner(t, { files: { 'app.py': hello } });
  const docs = await fetch(`${runner.url}/docs`);
  t.is(docs.status, 200);
  const html = await docs.text();
  const schemaUrl = /url: '([^']+)'/.exec(html)?.[1] ?? '';
  t.false(schemaUrl.startsWith('/'), `the schema URL ${schemaUrl} must be relative`);
  const schema = await fetch(new URL(schemaUrl, `${runner.url}/docs`));
  t.is(schema.status, 200);
  t.truthy(((await schema.json()) as { paths: Record<string, unknown> }).paths['/']);

  // Mounted under /apps/demo by a trusted proxy, the same relative URL resolves under the prefix.
  t.is(new URL(schemaUrl, 'https://platform.example/apps/demo/docs').pathname, '/apps/demo/openapi.json');
  const prefixed = await fetch(`${runner.url}/openapi.json`, { headers: { 'x-forwarded-prefix': '/apps/demo' } });
  t.deepEqual(((await prefixed.json()) as { servers?: unknown }).servers, [{ url: '/apps/demo' }]);

  const redoc = await fetch(`${runner.url}/redoc`);
  t.regex(await redoc.text(), /spec-url="openapi\.json"/);
});

test('fails when an untrusted client sends X-Forwarded-Prefix: the header is ignored', async (t) => {
  const runner = await startRunner(t, { files: { 'app.py': hello }, env: { FORWARDED_ALLOW_IPS: '10.9.9.9' } });
  const res = await fetch(`${runner.url}/openapi.json`, { headers: { 'x-forwarded-prefix': '/evil', 'x-forwarded-proto': 'https' } });
  t.is(((await res.json()) as { servers?: unknown }).servers, undefined);
});

test('a create_app() factory, a plain Starlette app and a bare ASGI callable all run', async (t) => {
  const factory = await startRunner(t, {
    files: { 'app.py': 'from fastapi import FastAPI\n\ndef create_app():\n    api = FastAPI()\n    api.get("/")(lambda: {"made": "by factory"})\n    return api\n' },
  });
  t.deepEqual(await (await fetch(`${factory.url}/`)).json(), { made: 'by factory' });

  const starlette = await startRunner(t, {
    files: {
      'app.py': `from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("starlette"))])
`,
    },
  });
  t.is(await (await fetch(`${starlette.url}/`)).text(), 'starlette');

  const bare = await startRunner(t, {
    files: {
      'app.py': `async def app(scope, receive, send):
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"bare asgi"})
`,
    },
  });
  t.is(await (await fetch(`${bare.url}/`)).text(), 'bare asgi');
  t.is((await fetch(`${bare.url}/_platform/health`)).status, 200);
});

test('the runner listens (and the probe answers) only after lifespan startup has finished', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    files: {
      'app.py': `import asyncio
from contextlib import asynccontextmanager
from fastapi import FastAPI

state = {"ready": False}

@asynccontextmanager
async def lifespan(app):
    await asyncio.sleep(1.5)
    state["ready"] = True
    yield

app = FastAPI(lifespan=lifespan)

@app.get("/ready")
def ready():
    return state
`,
    },
  });
  // uvicorn binds its socket only after startup: the runner reports `listening` (and the probe answers) only then.
  let importedAt: number | undefined;
  let listeningAt: number | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && listeningAt === undefined) {
    const events = runner.events();
    if (importedAt === undefined && events.some((e) => e.fp === 'imported')) importedAt = Date.now();
    if (events.some((e) => e.fp === 'listening')) listeningAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  t.truthy(importedAt && listeningAt, runner.stderr());
  t.true((listeningAt ?? 0) - (importedAt ?? 0) >= 1300, `listening ${(listeningAt ?? 0) - (importedAt ?? 0)} ms after import`);
  t.is((await fetch(`${runner.url}/_platform/health`)).status, 200);
  t.deepEqual(await (await fetch(`${runner.url}/ready`)).json(), { ready: true });
});
