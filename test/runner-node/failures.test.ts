/**
 * The Node runner's failures are data, as the Python runner's: a project that cannot start exits non-zero
 * with one structured line naming the .ts file, line and column (source-mapped), on stderr and in the
 * termination-message file; a request that throws gets a 500 and leaves a traceback with .ts positions
 * tagged with the proxy's request id.
 */
import test from 'ava';
import { startFailure, startRunner, type RunnerOptions } from '../helpers/runner.js';

const ts = (t: Parameters<typeof startRunner>[0], options: Omit<RunnerOptions, 'language'>) => startRunner(t, { ...options, language: 'typescript' });

/** Waits (up to 10 s) for something the runner writes after answering: its lines come a moment later. */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!ok()) throw new Error(`${what} never came`);
}


test('fails when the entry module throws at import: the line names the .ts file and line, not the runner', async (t) => {
  const runner = await ts(t, {
    waitHealthy: false,
    files: {
      'app.ts': "import { Hono } from 'hono';\nimport { settings } from './config.js';\n\nexport default new Hono().get('/', (c) => c.json(settings));\n",
      'config.ts': "interface Settings {\n  token: string;\n}\n\nconst token: string | undefined = process.env.API_TOKEN;\nif (!token) throw new Error('API_TOKEN is not set');\nexport const settings: Settings = { token };\n",
    },
  });
  const { exit, line, termination } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'Error', message: 'API_TOKEN is not set', file: 'config.ts', line: 6, column: 19, phase: 'import' });
  t.deepEqual(termination, line);
  t.regex(runner.stderr(), /at .*config\.ts:6:19/);
});

test('fails when a file does not compile: esbuild\'s verdict with the .ts line and column, in characters', async (t) => {
  const runner = await ts(t, {
    waitHealthy: false,
    files: {
      'app.ts': "import { Hono } from 'hono';\nimport { label } from './label';\nexport default new Hono().get('/', (c) => c.text(label));\n",
      'label.ts': "const café: string = 'ok';\nexport const label = café +;\n",
    },
  });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'SyntaxError', message: 'Unexpected ";"', file: 'label.ts', line: 2, column: 28, phase: 'import' });
});

test('fails when V8 refuses what esbuild compiled (an invalid regular expression): the place is mapped back to the .ts file', async (t) => {
  const runner = await ts(t, {
    waitHealthy: false,
    files: {
      'app.ts': "import { Hono } from 'hono';\nimport { slug } from './slug.js';\nexport default new Hono().get('/:s', (c) => c.text(slug(c.req.param('s'))));\n",
      'slug.ts': 'type Slug = string;\n\nexport function slug(text: string): Slug {\n  return text.replace(/(a|b/g, "-");\n}\n',
    },
  });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'SyntaxError', file: 'slug.ts', line: 4, column: 23 });
  t.regex(String(line.message), /Invalid regular expression/);
});

test('fails when a package outside the image is imported: the line names the import', async (t) => {
  const runner = await ts(t, {
    waitHealthy: false,
    files: { 'app.ts': "import { Hono } from 'hono';\nimport { helper } from './helper.js';\nhelper();\nexport default new Hono();\n", 'helper.ts': "\nimport leftPad from 'left-pad';\nexport const helper = () => leftPad('x', 3);\n" },
  });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { file: 'helper.ts', line: 2 });
  t.regex(String(line.message), /Cannot find package 'left-pad' imported from helper\.ts/);
});

test('fails when the entry module has no default export: exit 4, and the line says what to export', async (t) => {
  const named = await ts(t, { waitHealthy: false, files: { 'app.ts': "import { Hono } from 'hono';\n\nexport const api = new Hono();\n" } });
  const { exit, line } = await startFailure(named);
  t.is(exit, 4);
  t.like(line, { type: 'AppNotFound', file: 'app.ts', line: 3 });
  t.regex(String(line.message), /add `export default api`/);
  const nothing = await ts(t, { waitHealthy: false, files: { 'app.ts': "import { Hono } from 'hono';\nconst app = new Hono();\n" } });
  const none = await startFailure(nothing);
  t.is(none.exit, 4);
  t.like(none.line, { type: 'AppNotFound', line: 2 });
  t.regex(String(none.line.message), /export default app/);
  const wrong = await ts(t, { waitHealthy: false, files: { 'app.ts': 'export default 42;\n' } });
  t.regex(String((await startFailure(wrong)).line.message), /is a number, not an app/);
});

test('fails when the entrypoint is missing or not a script: exit 4', async (t) => {
  const missing = await ts(t, { waitHealthy: false, entrypoint: 'main.ts', files: { 'app.ts': 'export default {}\n' } });
  t.like((await startFailure(missing)).line, { type: 'AppNotFound', message: 'the entrypoint main.ts is not in the project' });
  const python = await ts(t, { waitHealthy: false, entrypoint: 'app.py', files: { 'app.py': 'x = 1\n' } });
  t.is((await startFailure(python)).exit, 4);
});

test('a request that throws gets a 500, and the traceback record has .ts positions and the request id', async (t) => {
  const runner = await ts(t, {
    files: {
      'app.ts': "import { Hono } from 'hono';\nimport { divide } from './math.js';\n\nconst app = new Hono();\napp.get('/boom', (c) => c.json({ value: divide(1, 0) }));\napp.get('/ok', (c) => c.text('fine'));\nexport default app;\n",
      'math.ts': "export function divide(a: number, b: number): number {\n  if (b === 0) {\n    throw new RangeError('division by zero');\n  }\n  return a / b;\n}\n",
    },
  });
  const res = await fetch(`${runner.url}/boom`, { headers: { 'x-platform-request-id': 'req-123' } });
  t.is(res.status, 500);
  t.is(await res.text(), 'Internal Server Error');
  await until('the request-exception line', () => runner.events().some((e) => e.fp === 'request-exception'));
  const record = runner.events().find((e) => e.fp === 'request-exception');
  t.like(record, { source: 'app', request_id: 'req-123', method: 'GET', path: '/boom', type: 'RangeError', message: 'division by zero', file: 'math.ts', line: 3, column: 11 });
  const traceback = String(record?.traceback);
  t.regex(traceback, /^RangeError: division by zero\n {4}at divide \(math\.ts:3:11\)\n {4}at .*app\.ts:5:/);
  t.false(traceback.includes(runner.codeDir), 'the code directory does not appear');
  // Hono's default handler would have printed it again; the record is the one place.
  t.false(runner.stderr().split('\n').some((l) => l.startsWith('RangeError')));
  t.is(await (await fetch(`${runner.url}/ok`)).text(), 'fine');
});

test('for the gateway: every answer names FP_APP_VERSION, and a 500 carries its error (type, .ts place, traceback) as base64 JSON', async (t) => {
  const runner = await ts(t, {
    env: { FP_APP_VERSION: '7' },
    files: {
      'app.ts': "import { Hono } from 'hono';\nimport { divide } from './math.js';\n\nconst app = new Hono();\napp.get('/boom', (c) => c.json({ value: divide(1, 0) }));\napp.get('/ok', (c) => c.text('fine'));\nexport default app;\n",
      'math.ts': "export function divide(a: number, b: number): number {\n  if (b === 0) {\n    throw new RangeError('division by zero');\n  }\n  return a / b;\n}\n",
      'static/a.txt': 'static',
    },
  });
  const ok = await fetch(`${runner.url}/ok`);
  t.is(ok.headers.get('x-platform-version'), '7');
  t.is(ok.headers.get('x-platform-error'), null, 'a success carries no error');
  t.is((await fetch(`${runner.url}/static/a.txt`)).headers.get('x-platform-version'), '7');
  const boom = await fetch(`${runner.url}/boom`, { headers: { 'x-platform-request-id': 'r-gw' } });
  t.is(boom.status, 500);
  t.is(boom.headers.get('x-platform-version'), '7');
  const handed = JSON.parse(Buffer.from(boom.headers.get('x-platform-error') ?? '', 'base64').toString('utf8')) as Record<string, unknown>;
  t.like(handed, { type: 'RangeError', message: 'division by zero', file: 'math.ts', line: 3 });
  t.regex(String(handed.traceback), /at divide \(math\.ts:3:11\)/);
  // A plain fetch handler's 500 carries it too.
  const plain = await ts(t, { files: { 'app.ts': "export default {\n  async fetch(): Promise<Response> {\n    throw new Error('nope');\n  },\n};\n" } });
  const res = await fetch(`${plain.url}/`);
  t.is(res.status, 500);
  t.is(res.headers.get('x-platform-version'), null, 'no FP_APP_VERSION, no version header');
  t.like(JSON.parse(Buffer.from(res.headers.get('x-platform-error') ?? '', 'base64').toString('utf8')), { type: 'Error', message: 'nope', file: 'app.ts', line: 3 });
});

test("a Hono app's own onError still answers, the exception is still recorded; HTTPException 4xx is an answer", async (t) => {
  const runner = await ts(t, {
    files: {
      'app.ts': `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
const app = new Hono();
app.get('/boom', () => { throw new TypeError('bad input'); });
app.get('/denied', () => { throw new HTTPException(403, { message: 'no' }); });
app.onError((error, c) => (error instanceof HTTPException ? error.getResponse() : c.json({ error: error.message }, 503)));
export default app;
`,
    },
  });
  const res = await fetch(`${runner.url}/boom`, { headers: { 'x-platform-request-id': 'r-1' } });
  t.is(res.status, 503);
  t.deepEqual(await res.json(), { error: 'bad input' });
  t.is((await fetch(`${runner.url}/denied`, { headers: { 'x-platform-request-id': 'r-2' } })).status, 403);
  await until('the request-exception line', () => runner.events().some((e) => e.fp === 'request-exception'));
  // A 403 would have been recorded by now too, had it been: its request came after.
  t.is(await (await fetch(`${runner.url}/_platform/health`)).text(), '{"status":"ok"}');
  const records = runner.events().filter((e) => e.fp === 'request-exception');
  t.deepEqual(records.map((r) => [r.request_id, r.type, r.line]), [['r-1', 'TypeError', 4]]);
});

test('a plain fetch handler that throws still answers 500 with a record', async (t) => {
  const runner = await ts(t, { files: { 'app.ts': "export default {\n  async fetch(): Promise<Response> {\n    throw new Error('nope');\n  },\n};\n" } });
  const res = await fetch(`${runner.url}/`, { headers: { 'x-platform-request-id': 'r-9' } });
  t.is(res.status, 500);
  await until('the request-exception line', () => runner.events().some((e) => e.fp === 'request-exception'));
  t.like(runner.events().find((e) => e.fp === 'request-exception'), { request_id: 'r-9', type: 'Error', file: 'app.ts', line: 3 });
});

test('an unhandled promise rejection is logged and the app keeps serving', async (t) => {
  const runner = await ts(t, { files: { 'app.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => { void Promise.reject(new Error('forgotten')); return c.text('ok'); });\nexport default app;\n" } });
  t.is(await (await fetch(`${runner.url}/`)).text(), 'ok');
  await until('the rejection in the log', () => runner.stderr().includes('Unhandled promise rejection'));
  t.regex(runner.stderr(), /Unhandled promise rejection: Error: forgotten\n {4}at .*app\.ts:3:/);
  t.is(await (await fetch(`${runner.url}/`)).text(), 'ok');
});

test('SIGTERM during a slow request: the request completes, then the process exits 0', async (t) => {
  const runner = await ts(t, {
    files: { 'app.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/slow', async (c) => {\n  await new Promise((r) => setTimeout(r, 1500));\n  return c.json({ finished: true });\n});\nexport default app;\n" },
  });
  const pending = fetch(`${runner.url}/slow`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  runner.child.kill('SIGTERM');
  const res = await pending;
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { finished: true });
  t.deepEqual(await runner.exited, { code: 0, signal: null });
});

test('SIGTERM with a request that outlives FP_GRACEFUL_SECONDS: the process still exits 0 in time', async (t) => {
  const runner = await ts(t, {
    env: { FP_GRACEFUL_SECONDS: '1' },
    files: { 'app.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/hang', () => new Promise<Response>(() => {}));\nexport default app;\n" },
  });
  void fetch(`${runner.url}/hang`).catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 300));
  const begin = Date.now();
  runner.child.kill('SIGTERM');
  t.deepEqual(await runner.exited, { code: 0, signal: null });
  t.true(Date.now() - begin < 10_000);
});
