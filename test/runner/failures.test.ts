/**
 * Failures are data: a project that cannot start exits non-zero with one structured line naming the
 * file and line inside the project (on stderr and in the termination-message file); a request that
 * raises gets a 500 and leaves a traceback record tagged with the proxy's request id.
 */
import test from 'ava';
import { startFailure, startRunner } from '../helpers/runner.js';


test('fails when the entry module has no app: exit 4, and the line points at the object to rename', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    files: { 'app.py': 'from fastapi import FastAPI\n\napi = FastAPI()\n' },
  });
  const { exit, line, termination } = await startFailure(runner);
  t.is(exit, 4);
  t.like(line, { type: 'AppNotFound', file: 'app.py', line: 3 });
  t.regex(String(line.message), /rename `api` to `app`/);
  t.deepEqual(termination, line);
});

test('fails when there is no app at all: the line says what to define', async (t) => {
  const runner = await startRunner(t, { waitHealthy: false, files: { 'app.py': 'x = 1\n' } });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 4);
  t.like(line, { type: 'AppNotFound', file: 'app.py' });
  t.regex(String(line.message), /define `app = FastAPI\(\)`/);
});

test('fails when a non-entry module has a syntax error: exit 3, naming that file, line and column', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    files: {
      'app.py': 'from fastapi import FastAPI\nfrom pkg import tools\napp = FastAPI()\n',
      'pkg/__init__.py': '',
      'pkg/tools.py': 'def ok():\n    return 1\n\ndef broken(:\n    pass\n',
    },
  });
  const { exit, line, termination } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'SyntaxError', file: 'pkg/tools.py', line: 4, column: 12, phase: 'import' });
  t.deepEqual(termination, line);
});

test('fails when the app raises at import: the line names the raising line, not the runner', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    files: {
      'app.py': 'import os\nfrom fastapi import FastAPI\n\nTOKEN = os.environ["API_TOKEN"]\napp = FastAPI()\n',
    },
  });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'KeyError', message: "'API_TOKEN'", file: 'app.py', line: 4 });
});

test('fails when a missing package is imported: the line names the import', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    files: { 'app.py': 'from fastapi import FastAPI\nimport helpers\napp = FastAPI()\n', 'helpers.py': '\nimport numpy_that_is_not_there\n' },
  });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'ModuleNotFoundError', file: 'helpers.py', line: 2 });
});

test('fails when lifespan startup raises: exit 3, phase startup, the line inside the project', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    files: {
      'app.py': `from contextlib import asynccontextmanager
from fastapi import FastAPI

@asynccontextmanager
async def lifespan(app):
    raise ConnectionError("database unreachable")
    yield

app = FastAPI(lifespan=lifespan)
`,
    },
  });
  const { exit, line } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'ConnectionError', message: 'database unreachable', file: 'app.py', line: 6, phase: 'startup' });
});

test('a request that raises gets a 500, and the traceback record carries the request id', async (t) => {
  const runner = await startRunner(t, {
    files: {
      'app.py': `from fastapi import FastAPI
app = FastAPI()

@app.get("/boom")
def boom():
    return 1 / 0
`,
    },
  });
  const res = await fetch(`${runner.url}/boom`, { headers: { 'x-platform-request-id': 'req-123' } });
  t.is(res.status, 500);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const record = runner.events().find((e) => e.fp === 'request-exception');
  t.like(record, { source: 'app', request_id: 'req-123', method: 'GET', path: '/boom', type: 'ZeroDivisionError', file: 'app.py', line: 6 });
  t.regex(String(record?.traceback), /ZeroDivisionError: division by zero/);
  // The project's files are named relative to it (the dashboard links them); the framework's keep their paths.
  t.regex(String(record?.traceback), /File "app\.py", line 6, in boom/);
  t.false(String(record?.traceback).includes(runner.codeDir), 'the code directory does not appear');
  t.regex(String(record?.traceback), /File "\/[^"]+\/site-packages\/starlette\//);
  // The process keeps serving.
  t.is((await fetch(`${runner.url}/_platform/health`)).status, 200);
});

test('a bare ASGI app that raises before responding still answers 500', async (t) => {
  const runner = await startRunner(t, {
    files: { 'app.py': 'async def app(scope, receive, send):\n    if scope["type"] == "http":\n        raise ValueError("nope")\n' },
  });
  const res = await fetch(`${runner.url}/`, { headers: { 'x-platform-request-id': 'r-9' } });
  t.is(res.status, 500);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.like(runner.events().find((e) => e.fp === 'request-exception'), { request_id: 'r-9', type: 'ValueError', line: 3 });
});

test('SIGTERM during a slow request: the request completes, then the process exits 0', async (t) => {
  const runner = await startRunner(t, {
    files: {
      'app.py': `import asyncio
from fastapi import FastAPI
app = FastAPI()

@app.get("/slow")
async def slow():
    await asyncio.sleep(1.5)
    return {"finished": True}
`,
    },
  });
  const pending = fetch(`${runner.url}/slow`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  runner.child.kill('SIGTERM');
  const res = await pending;
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { finished: true });
  t.deepEqual(await runner.exited, { code: 0, signal: null });
});

test('from a Kubernetes ConfigMap volume (files are symlinks into ..data), failures and tracebacks name the project\'s own paths', async (t) => {
  const runner = await startRunner(t, {
    waitHealthy: false,
    layout: 'configmap-volume',
    files: {
      'app.py': 'from fastapi import FastAPI\nfrom pkg import tools\napp = FastAPI()\n',
      'pkg/__init__.py': '',
      'pkg/tools.py': 'import os\n\nTOKEN = os.environ["API_TOKEN"]\n',
    },
  });
  const { exit, line, termination } = await startFailure(runner);
  t.is(exit, 3);
  t.like(line, { type: 'KeyError', file: 'pkg/tools.py', line: 3 });
  t.deepEqual(termination, line);
  t.regex(runner.stderr(), /File "pkg\/tools\.py", line 3/);
  t.notRegex(runner.stderr(), /\.\.2026|\.\.data/, 'nothing names the volume\'s hidden directories');
});

test('from a Kubernetes ConfigMap volume, the working directory links the project\'s files and not the volume\'s own', async (t) => {
  const runner = await startRunner(t, {
    layout: 'configmap-volume',
    files: {
      'app.py': 'import os\nfrom fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return sorted(os.listdir("."))\n',
      'data.json': '{}',
    },
  });
  const listing = await (await fetch(`${runner.url}/`)).json();
  t.deepEqual(listing, ['.sesskey', 'app.py', 'data.json']);
});
