/**
 * fp dev runs the project with the platform's runner on this machine: it serves the app, the probe
 * path and static/, restarts after a file change, reports a failed start with file and line and
 * recovers once fixed, and says how to get the runner's packages when the Python lacks them.
 */
import test from 'ava';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.js';
import { fpFor } from '../helpers/cli.js';

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

async function eventually(url: string, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await get(url).then((r) => `${r.status} ${r.text}`, (e: Error) => e.message);
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered ${pattern}; last: ${last}`);
}

test('fp dev serves the project with the runner, its probe path and static/, and reloads after a change', async (t) => {
  const fp = await fpFor(t);
  const dir = join(fp.home, 'devapp');
  t.is((await fp(['init', dir])).code, 0);
  await mkdir(join(dir, 'static'));
  await writeFile(join(dir, 'static', 'site.css'), 'body { color: teal; }\n');
  const port = await freePort();
  const dev = fp.spawn(['dev', '--port', String(port)], { cwd: dir });
  t.teardown(() => { dev.child.kill('SIGINT'); });
  await dev.waitFor(new RegExp(`Serving at http://127\\.0\\.0\\.1:${port}`));
  const base = `http://127.0.0.1:${port}`;
  t.regex((await get(`${base}/`)).text, /Hello from the FastAPI Platform/);
  t.is((await get(`${base}/_platform/health`)).status, 200);
  t.regex((await get(`${base}/static/site.css`)).text, /teal/);

  await writeFile(join(dir, 'app.py'), 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef hello():\n    return {"message": "reloaded"}\n');
  await dev.waitFor(/app\.py changed; restarting/);
  await eventually(`${base}/`, /^200 .*reloaded/);

  await writeFile(join(dir, 'app.py'), 'from fastapi import FastAPI\n\napp = FastAPI()\nraise RuntimeError("not today")\n');
  await dev.waitFor(/The app did not start: RuntimeError: not today \(app\.py:4\)/);
  await writeFile(join(dir, 'app.py'), 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef hello():\n    return {"message": "fixed"}\n');
  await eventually(`${base}/`, /^200 .*fixed/).catch((error: Error) => { throw new Error(`${error.message}\nfp dev said:\n${dev.output().stderr}`); });

  dev.child.kill('SIGINT');
  t.is(await dev.exited, 0, 'Ctrl-C stops the runner and exits 0');
  await t.throwsAsync(get(`${base}/`), undefined, 'the runner stopped with fp dev');
});

test('fails when the Python lacks the runner\'s packages: says which, and how to get them', async (t) => {
  const fp = await fpFor(t);
  const dir = join(fp.home, 'nopkgs');
  t.is((await fp(['init', dir])).code, 0);
  const result = await fp(['dev', '--python', '/usr/bin/python3'], { cwd: dir });
  t.is(result.code, 1);
  t.regex(result.stderr, /fp dev needs Python 3\.11 with the runner's packages .*\/usr\/bin\/python3 lacks them/);
  t.regex(result.stderr, /python3\.11 -m venv .*\.fp\/runner-venv && .*pip install -r .*requirements\.txt/);
});

test('fp dev runs a TypeScript project on the Node runner: serves it, reloads after a change, reports a throw at import with the .ts line', async (t) => {
  const fp = await fpFor(t);
  const dir = join(fp.home, 'devhono');
  t.is((await fp(['init', dir, '--framework', 'hono'])).code, 0);
  const port = await freePort();
  const dev = fp.spawn(['dev', '--port', String(port)], { cwd: dir });
  t.teardown(() => { dev.child.kill('SIGINT'); });
  await dev.waitFor(/app\.ts with the platform's Node runner/);
  await dev.waitFor(new RegExp(`Serving at http://127\\.0\\.0\\.1:${port}`));
  const base = `http://127.0.0.1:${port}`;
  t.regex((await get(`${base}/`)).text, /Hello from the FastAPI Platform/);
  t.is((await get(`${base}/_platform/health`)).status, 200);

  await writeFile(join(dir, 'app.ts'), "import { Hono } from 'hono';\n\nconst app = new Hono();\napp.get('/', (c) => c.json({ message: 'reloaded' }));\nexport default app;\n");
  await dev.waitFor(/app\.ts changed; restarting/);
  await eventually(`${base}/`, /^200 .*reloaded/);

  await writeFile(join(dir, 'app.ts'), "import { Hono } from 'hono';\n\nconst app = new Hono();\nthrow new Error('not today');\nexport default app;\n");
  await dev.waitFor(/The app did not start: Error: not today \(app\.ts:4\)/);
  dev.child.kill('SIGINT');
  t.is(await dev.exited, 0);
});
