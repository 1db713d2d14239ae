/**
 * `npm start`'s platform (scripts/start-platform.ts, after set-up) as a person runs it: its own
 * FerretDB servers and generated secret under DATA_DIR, API + UI + proxy on PORT, the URL printed. A
 * deployed template answers through the proxy. Killing the platform outright and starting it again
 * brings every deployed app back (the version that was serving, for an app whose last rollout failed)
 * with nothing duplicated: no extra versions, no leftover processes, one runner per app. A graceful
 * stop leaves no process behind.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.js';
import { newApp, signUp, waitForPhase } from '../helpers/api.js';
import { launch, shellEnv, type Launched } from '../helpers/platform-process.js';

function throughProxy(port: number, appId: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `app-${appId}.localhost:${port}` } }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += String(chunk); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Processes whose command line or environment names the data directory (FerretDB, runners). */
async function processesUsing(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    const environ = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    if (cmdline.includes(dir) || environ.includes(`CODE_DIR=${dir}`)) found.push(Number(name));
  }
  return found;
}

async function childOf(parent: number): Promise<number> {
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (ppid === parent && cmdline.includes('api/main.ts')) return Number(name);
  }
  throw new Error(`no api/main.ts child of ${parent}`);
}

/** Running, not merely a zombie that nobody reaped (an orphan's parent here may never reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

test('npm start serves a deployed template; killed and started again, every app is back and nothing is duplicated', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'fp-npm-start-'));
  const port = await freePort();
  const env = shellEnv({ DATA_DIR: dataDir, PORT: String(port) });
  let current: Launched | undefined;
  t.teardown(async () => {
    if (current?.child.exitCode === null) current.child.kill('SIGKILL');
    for (const pid of await processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });
  current = await launch(env, port);
  // Defaults for a shared machine: loopback only, and nothing of the data directory for other users.
  t.regex(current.output(), new RegExp(`listening on 127\\.0\\.0\\.1:${port} `));
  t.is((await stat(dataDir)).mode & 0o777, 0o700);
  for (const secret of ['secret-key', 'platform-db.password']) t.is((await stat(join(dataDir, secret))).mode & 0o777, 0o600, secret);
  const api = { url: `http://127.0.0.1:${port}` };
  const home = await fetch(`${api.url}/`);
  t.is(home.status, 200);
  t.regex(home.headers.get('content-type') ?? '', /text\/html/);

  const user = await signUp(api);
  const hello = await newApp(user, { name: 'Hello', templateId: 'builtin-hello-fastapi' });
  t.is(hello.url, `http://app-${hello.id}.localhost:${port}`);
  await user.client.post(`/api/apps/${hello.id}/deploy`, {});
  await waitForPhase(user, hello.id, 'running');
  t.regex((await throughProxy(port, hello.id)).body, /Hello from FastAPI!/);
  // A second app whose newest version failed: version 1 keeps serving.
  const files = (v: number) => ({ 'app.py': `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"v": ${v}}\n` });
  const kept = await newApp(user, { name: 'Kept', files: files(1) });
  await user.client.post(`/api/apps/${kept.id}/deploy`, {});
  await waitForPhase(user, kept.id, 'running');
  await user.client.put(`/api/apps/${kept.id}/draft`, { revision: 1, files: { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\nraise RuntimeError("not today")\n' } });
  t.is((await user.client.post(`/api/apps/${kept.id}/deploy`, {})).status, 202);
  await waitForPhase(user, kept.id, 'failed');
  t.is((await throughProxy(port, kept.id)).body, '{"v":1}');

  // Killed outright, no shutdown runs; each app's sandbox dies with the platform (bwrap's
  // --die-with-parent), so nothing is left running for the next start to find.
  const runnersBefore = (await processesUsing(join(dataDir, 'runtime'))).filter((pid) => alive(pid));
  t.is(runnersBefore.length, 2, 'one sandboxed runner per app');
  process.kill(await childOf(current.child.pid ?? 0), 'SIGKILL');
  await current.exited;
  for (let waited = 0; runnersBefore.some(alive) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  t.true(runnersBefore.every((pid) => !alive(pid)), 'the sandboxes died with the platform');

  current = await launch(env, port);
  t.regex((await throughProxy(port, hello.id)).body, /Hello from FastAPI!/);
  t.is((await throughProxy(port, kept.id)).body, '{"v":1}');
  const runnersAfter = await processesUsing(join(dataDir, 'runtime'));
  t.is(runnersAfter.length, 2, `one runner per app, not more: ${runnersAfter.join(' ')}`);
  t.is((await user.client.get('/api/apps')).body.apps.length, 2);
  t.is((await user.client.get(`/api/apps/${hello.id}/versions`)).body.versions.length, 1);
  t.is((await user.client.get(`/api/apps/${kept.id}/versions`)).body.versions.length, 2);
  t.like((await user.client.get(`/api/apps/${kept.id}`)).body.status, { phase: 'failed', version: 2 });
  await waitForPhase(user, hello.id, 'running');

  current.child.kill('SIGTERM');
  t.is(await current.exited, 0);
  t.deepEqual(await processesUsing(dataDir), [], 'a graceful stop leaves no process behind');
});
