/**
 * TypeScript apps on the local runtime, through the HTTP API and the platform's proxy: every TypeScript
 * template deploys and answers; an app that throws at import fails naming the .ts file and line; a
 * request that throws is a 500 whose record in the request history carries the traceback with .ts
 * positions; a user's Python and TypeScript apps run side by side, each in a sandbox like the other's;
 * and a TypeScript app sleeps and wakes through the gateway as a Python app does.
 */
import test from 'ava';
import { loadTemplates } from '../../templates/index.js';
import { appRequest, newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import { exampleRequest } from '../helpers/examples.js';

const templates = (await loadTemplates()).filter((x) => x.spec.language === 'typescript');

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && !ok(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  if (!ok(value)) throw new Error(`${what}: ${JSON.stringify(value).slice(0, 500)}`);
  return value;
}

async function deploy(user: TestUser, body: Record<string, unknown>): Promise<string> {
  const app = await newApp(user, body);
  const deployed = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  if (deployed.status !== 202) throw new Error(`deploy → ${deployed.status}: ${JSON.stringify(deployed.body)}`);
  return app.id;
}

test('every TypeScript template deploys on the local runtime and its examples answer through the proxy', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  for (const template of templates) {
    const appId = await deploy(user, { name: template.spec.title, templateId: `builtin-${template.metadata.name}` });
    await waitForPhase(user, appId, 'running', 120_000).catch(async (error: Error) => {
      const logs = (await user.client.get(`/api/apps/${appId}/logs`)).body as { lines: { text: string }[] };
      throw new Error(`${template.metadata.name}: ${error.message}\n${logs.lines.map((l) => l.text).join('\n')}`);
    });
    t.is((await appRequest(api, appId, '/')).status, 200, template.metadata.name);
    for (const example of template.spec.examples) {
      const reply = await appRequest(api, appId, example.path, exampleRequest(example));
      t.is(reply.status, example.expect.status, `${template.metadata.name}: ${example.title}: ${reply.body.slice(0, 300)}`);
      for (const text of example.expect.contains) t.true(reply.body.includes(text), `${template.metadata.name}: ${example.title}: expected ${text}`);
    }
  }
});

test('an app that throws at import fails, naming the .ts file and line; the one serving before keeps serving', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const appId = await deploy(user, { name: 'Throws', templateId: 'builtin-hello-hono' });
  await waitForPhase(user, appId, 'running', 120_000);
  const current = (await user.client.get(`/api/apps/${appId}`)).body;
  const files = {
    ...current.draft.files,
    'app.ts': "import { Hono } from 'hono';\nimport { settings } from './settings.js';\n\nexport default new Hono().get('/', (c) => c.json(settings));\n",
    'settings.ts': "interface Settings {\n  token: string;\n}\n\nconst token = process.env.API_TOKEN;\nif (!token) throw new Error('API_TOKEN is not set');\nexport const settings: Settings = { token };\n",
  };
  const saved = await user.client.put(`/api/apps/${appId}/draft`, { revision: current.draftRevision, files, entrypoint: 'app.ts' });
  t.is(saved.status, 200, JSON.stringify(saved.body));
  t.true(saved.body.valid, 'a throw at import is no syntax error: validation passes');
  t.is((await user.client.post(`/api/apps/${appId}/deploy`, {})).status, 202);
  const failed = await waitForPhase(user, appId, 'failed', 60_000);
  t.like(failed.status, { version: 2, file: 'settings.ts', line: 6 });
  t.regex(failed.status.message, /API_TOKEN is not set/);
  // Version 1 still serves.
  t.regex((await appRequest(api, appId, '/hello/Ada')).body, /Hello, Ada!/);
  const logs = ((await user.client.get(`/api/apps/${appId}/logs`)).body as { lines: { text: string }[] }).lines.map((l) => l.text);
  t.true(logs.some((l) => l.includes('The app did not start: Error: API_TOKEN is not set (settings.ts:6)')), logs.join('\n'));
});

test('a request that throws is a 500, and its record in the request history has the stack with .ts positions', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const appId = await deploy(user, {
    name: 'Boom',
    files: {
      'app.ts': "import { Hono } from 'hono';\nimport { divide } from './math.js';\n\nconst app = new Hono();\napp.get('/', (c) => c.text('ok'));\napp.get('/boom', (c) => c.json({ value: divide(1, 0) }));\nexport default app;\n",
      'math.ts': "export function divide(a: number, b: number): number {\n  if (b === 0) {\n    throw new RangeError('division by zero');\n  }\n  return a / b;\n}\n",
    },
  });
  await waitForPhase(user, appId, 'running', 120_000);
  const boom = await appRequest(api, appId, '/boom');
  t.is(boom.status, 500);
  const id = boom.headers['x-platform-request-id'];
  const history = await eventually('the failed request with its traceback', async () => (await user.client.get(`/api/apps/${appId}/requests?failed=true`)).body.requests as any[],
    (r) => r[0]?.error?.type === 'RangeError');
  t.like(history[0], { id, method: 'GET', path: '/boom', status: 500 });
  t.like(history[0].error, { type: 'RangeError', message: 'division by zero', file: 'math.ts', line: 3 });
  t.regex(history[0].error.traceback, /^RangeError: division by zero\n {4}at divide \(math\.ts:3:11\)\n {4}at .*app\.ts:6:\d+/);
  t.false(history[0].error.traceback.includes('/code/'), 'the project\'s files are named relative to it');
  t.is((await appRequest(api, appId, '/')).status, 200, 'the app keeps serving');
});

const pythonProbe = `import json, os
from fastapi import FastAPI, Request

app = FastAPI()


def attempt(action):
    try:
        return {"ok": True, "value": action()}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def write(path):
    with open(path, "w") as f:
        f.write("x")
    return "written"


@app.post("/probe")
async def probe(request: Request):
    facts = await request.json()
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    cmdlines = [open(f"/proc/{p}/cmdline", "rb").read().replace(b"\\0", b" ").decode() for p in pids]
    return {
        "uid": os.getuid(), "pid": os.getpid(), "cmdlines": cmdlines,
        "other_code": attempt(lambda: open(facts["otherCodeFile"]).read()),
        "other_code_dir": attempt(lambda: os.listdir(facts["otherCodeDir"])),
        "other_socket_dir": attempt(lambda: os.listdir(facts["otherSocketDir"])),
        "data_dir": attempt(lambda: os.listdir(facts["dataDir"])),
        "writes": {path: attempt(lambda path=path: write(path)) for path in facts["readOnly"]},
        "tmp": attempt(lambda: write("/tmp/mine")),
        "secret": "SECRET_KEY" in os.environ or "MONGO_URI" in os.environ,
        "app_id": os.environ.get("APP_ID"),
    }
`;

const typescriptProbe = `import { Hono } from 'hono';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

type Attempt = { ok: true; value: unknown } | { ok: false; error: string };

function attempt(action: () => unknown): Attempt {
  try {
    return { ok: true, value: action() };
  } catch (error) {
    return { ok: false, error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

const app = new Hono();
app.post('/probe', async (c) => {
  const facts = await c.req.json<{ otherCodeFile: string; otherCodeDir: string; otherSocketDir: string; dataDir: string; readOnly: string[] }>();
  const pids = readdirSync('/proc').filter((p) => /^\\d+$/.test(p));
  return c.json({
    uid: process.getuid?.(), pid: process.pid,
    cmdlines: pids.map((p) => readFileSync(\`/proc/\${p}/cmdline\`, 'utf8').replaceAll('\\0', ' ')),
    other_code: attempt(() => readFileSync(facts.otherCodeFile, 'utf8')),
    other_code_dir: attempt(() => readdirSync(facts.otherCodeDir)),
    other_socket_dir: attempt(() => readdirSync(facts.otherSocketDir)),
    data_dir: attempt(() => readdirSync(facts.dataDir)),
    writes: Object.fromEntries(facts.readOnly.map((path) => [path, attempt(() => writeFileSync(path, 'x'))])),
    tmp: attempt(() => writeFileSync('/tmp/mine', 'x')),
    secret: 'SECRET_KEY' in process.env || 'MONGO_URI' in process.env,
    app_id: process.env.APP_ID,
  });
});
export default app;
`;

async function probe(api: TestApi, appId: string, facts: unknown): Promise<any> {
  const reply = await appRequest(api, appId, '/probe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(facts) });
  if (reply.status !== 200) throw new Error(`probe of ${appId} → ${reply.status}: ${reply.body.slice(0, 500)}`);
  return JSON.parse(reply.body);
}

test("one user's Python and TypeScript apps side by side: each in a sandbox like the other's, neither reaching the other", async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const runtime = api.runtime as unknown as { dataDir: string; pids(appId: string): number[] };
  const user = await signUp(api);
  const py = await deploy(user, { name: 'Python probe', files: { 'app.py': pythonProbe } });
  const ts = await deploy(user, { name: 'TypeScript probe', files: { 'app.ts': typescriptProbe } });
  await Promise.all([waitForPhase(user, py, 'running', 120_000), waitForPhase(user, ts, 'running', 120_000)]);
  const { readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const where = async (appId: string) => {
    const codeDir = join(runtime.dataDir, 'apps', appId, (await readdir(join(runtime.dataDir, 'apps', appId))).find((v) => v.startsWith('v1-')) ?? '');
    const socketDir = join(runtime.dataDir, 'sock', (await readdir(join(runtime.dataDir, 'sock'))).find((d) => d.startsWith(`${appId}-`)) ?? '');
    return { codeDir, socketDir };
  };
  const [pyPlace, tsPlace] = [await where(py), await where(ts)];
  const readOnly = ['/code/injected', '/opt/runner/injected', '/opt/runner-node/dist/injected', '/usr/injected', '/etc/injected'];
  const fromPy = await probe(api, py, { otherCodeFile: join(tsPlace.codeDir, 'app.ts'), otherCodeDir: tsPlace.codeDir, otherSocketDir: tsPlace.socketDir, dataDir: runtime.dataDir, readOnly });
  const fromTs = await probe(api, ts, { otherCodeFile: join(pyPlace.codeDir, 'app.py'), otherCodeDir: pyPlace.codeDir, otherSocketDir: pyPlace.socketDir, dataDir: runtime.dataDir, readOnly });

  for (const [name, report, own, other] of [['Python', fromPy, py, 'main.mjs'], ['TypeScript', fromTs, ts, 'entrypoint.py']] as const) {
    t.is(report.pid, 1, `${name}: the runner is PID 1 of its own namespace`);
    t.false(report.cmdlines.some((c: string) => c.includes(other)), `${name} sees the other app's runner: ${report.cmdlines.join(' | ')}`);
    for (const key of ['other_code', 'other_code_dir', 'other_socket_dir', 'data_dir']) t.false(report[key].ok, `${name}: ${key} ${JSON.stringify(report[key])}`);
    for (const [path, result] of Object.entries(report.writes as Record<string, { ok: boolean }>)) t.false(result.ok, `${name} wrote ${path}`);
    t.true(report.tmp.ok, `${name} cannot write its own /tmp`);
    t.false(report.secret, `${name} has a platform secret`);
    t.is(report.app_id, own);
  }
  // The same tenant: the same host UID for both (never root), apart only by their mount namespaces, as two Python apps are.
  t.is(fromPy.uid, fromTs.uid);
  t.not(fromTs.uid, 0);
  t.is(runtime.pids(py).length, 1);
  t.is(runtime.pids(ts).length, 1);
});

test('a TypeScript app sleeps when idle and the next request wakes it through the gateway, recorded as a cold start', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const appId = await deploy(user, { name: 'Sleepy', templateId: 'builtin-hello-hono' });
  await waitForPhase(user, appId, 'running', 120_000);
  t.is((await user.client.put(`/api/apps/${appId}/sleep`, { idleTimeoutSeconds: 10 })).status, 200);
  // Idle for an hour, as far as the platform can tell (no request was made yet).
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await api.db.apps.updateOne({ _id: appId }, { $set: { lastActivityAt: anHourAgo, sleep: { state: 'awake', since: anHourAgo } } });
  t.deepEqual(await api.services.sleep.sweep(), [appId]);
  t.like((await user.client.get(`/api/apps/${appId}/sleep`)).body, { state: 'sleeping' });

  const woken = await appRequest(api, appId, '/hello/Ada');
  t.is(woken.status, 200, woken.body);
  t.regex(woken.body, /Hello, Ada!/);
  t.like((await user.client.get(`/api/apps/${appId}/sleep`)).body, { state: 'awake' });
  const records = await eventually('the cold request in the history', async () => ((await user.client.get(`/api/apps/${appId}/requests`)).body as { requests: { path: string; coldStart: boolean; wakeMs: number | null; version: number | null }[] }).requests, (r) => r.some((x) => x.path === '/hello/Ada'));
  t.like(records.find((r) => r.path === '/hello/Ada'), { coldStart: true, version: 1 });
});
