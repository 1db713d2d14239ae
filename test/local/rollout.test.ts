/**
 * Rollouts on the local runtime, end to end through the HTTP API and the proxy: a good deploy under a
 * steady request loop fails no request and never serves an older version again; a version that cannot
 * start is reported with its file and line while the old one keeps answering; a crashed process comes
 * back with back-off; delete leaves no process and the proxy answers 404.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRequest, newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import type { LocalRuntime } from '../../api/runtime/local/runtime.js';

const version = (n: number) => ({ 'app.py': `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"version": ${n}}\n` });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, explain: () => Promise<string> = async () => '', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}${await explain()}`);
}

async function deployFiles(user: TestUser, appId: string, revision: number, files: Record<string, string>): Promise<void> {
  const saved = await user.client.put(`/api/apps/${appId}/draft`, { revision, files });
  if (saved.status !== 200) throw new Error(`save → ${saved.status}: ${JSON.stringify(saved.body)}`);
  const deployed = await user.client.post(`/api/apps/${appId}/deploy`, {});
  if (deployed.status !== 202) throw new Error(`deploy → ${deployed.status}: ${JSON.stringify(deployed.body)}`);
}

async function started(t: Parameters<typeof startApi>[0]): Promise<{ api: TestApi<LocalRuntime>; user: TestUser; appId: string }> {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Rolling', files: version(1) });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  return { api, user, appId: app.id };
}

test('edit and deploy under a steady request loop: new content, zero failed requests, never an older version again', async (t) => {
  const { api, user, appId } = await started(t);
  const seen: number[] = [];
  const perLoop: number[][] = [];
  const failures: string[] = [];
  let running = true;
  const loop = async () => {
    const mine: number[] = [];
    perLoop.push(mine);
    while (running) {
      try {
        const reply = await appRequest(api, appId, '/');
        if (reply.status === 200) {
          const answered = JSON.parse(reply.body).version;
          seen.push(answered);
          mine.push(answered);
        }
        else failures.push(`${reply.status} ${reply.body.slice(0, 120)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const loops = Array.from({ length: 4 }, loop);
  const firstPid = api.runtime.pids(appId)[0] ?? 0;
  for (const n of [2, 3]) {
    await deployFiles(user, appId, n - 1, version(n));
    await waitForPhase(user, appId, 'running');
    await until(`version ${n} through the proxy`, () => seen.at(-1) === n);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  running = false;
  await Promise.all(loops);
  t.deepEqual(failures, [], 'no request failed during the rollouts');
  t.true(seen.length > 50, `${seen.length} requests answered`);
  // Each loop's requests are sequential: once one was answered by a newer version, the switch was
  // made, and no later request of that loop may reach an older one.
  for (const mine of perLoop) t.deepEqual(mine, [...mine].sort((a, b) => a - b));
  t.is(seen.at(-1), 3);
  t.deepEqual([...new Set(seen)].sort(), [1, 2, 3]);
  await until('the first process to stop', () => !alive(firstPid));
  t.is(api.runtime.pids(appId).length, 1, 'one process serves after the rollouts');
});

test('a version that cannot start is reported with its file and line; the old version keeps answering', async (t) => {
  const { api, user, appId } = await started(t);
  const broken = { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\nraise RuntimeError("missing configuration")\n' };
  await deployFiles(user, appId, 1, broken);
  const failed = await waitForPhase(user, appId, 'failed');
  t.like(failed.status, { phase: 'failed', version: 2, file: 'app.py', line: 4, message: 'RuntimeError: missing configuration' });
  const reply = await appRequest(api, appId, '/');
  t.is(reply.status, 200);
  t.deepEqual(JSON.parse(reply.body), { version: 1 });
  t.like((await user.client.get(`/api/apps/${appId}/status`)).body, { phase: 'failed', servingVersion: 1, targetVersion: 2 });
  const events = (await user.client.get(`/api/apps/${appId}/events?limit=5`)).body.events;
  t.like(events[0], { type: 'Warning', reason: 'Failed' });
  t.regex(events[0].message, /app\.py:4.*version 1 keeps serving/);
  const progress = await (await fetch(`${api.url}/api/apps/${appId}/progress`, { headers: user.client.authorization() })).text();
  t.regex(progress, /"phase":"failed".*"reason":"start-failed".*"file":"app.py","line":4/s);
});

test('a crashed process is restarted with back-off and requests wait for it', async (t) => {
  const { api, user, appId } = await started(t);
  const [first] = api.runtime.pids(appId);
  if (!first) throw new Error('no process serves the app');
  process.kill(first, 'SIGKILL');
  // The proxy holds the request until the restarted process is healthy (about a second later).
  const reply = await appRequest(api, appId, '/');
  t.is(reply.status, 200);
  const [second] = api.runtime.pids(appId);
  t.truthy(second);
  t.not(second, first);
  process.kill(second ?? 0, 'SIGKILL');
  const eventLines = async () => (await user.client.get(`/api/apps/${appId}/events?limit=10`)).body.events.map((e: { reason: string; message: string }) => `${e.reason}: ${e.message}`) as string[];
  await until('the second restart', () => { const [pid] = api.runtime.pids(appId); return pid !== undefined && pid !== second; },
    async () => `; the app's events, newest first:\n${(await eventLines()).join('\n')}`);
  const events = await eventLines();
  t.true(events.some((e: string) => /^Crashed: .*restarting in 1 s/.test(e)), events.join('\n'));
  t.true(events.some((e: string) => /^Crashed: .*restarting in 2 s/.test(e)), 'the second crash waits longer');
  t.true(events.filter((e: string) => e.startsWith('Restarted')).length >= 1);
  t.is((await appRequest(api, appId, '/')).status, 200);
});

test('delete stops the app\'s process, removes its files, and the proxy answers 404', async (t) => {
  const { api, user, appId } = await started(t);
  const pids = api.runtime.pids(appId);
  t.is(pids.length, 1);
  t.true(existsSync(join(api.runtime.dataDir, 'apps', appId)));
  t.is((await user.client.delete(`/api/apps/${appId}`)).status, 204);
  t.false(alive(pids[0] ?? 0), 'the process is gone when delete returns');
  t.false(existsSync(join(api.runtime.dataDir, 'apps', appId)));
  const reply = await appRequest(api, appId, '/', { headers: { accept: 'application/json' } });
  t.is(reply.status, 404);
  t.is(JSON.parse(reply.body).error.code, 'app_not_found');
  const html = await appRequest(api, appId, '/', { headers: { accept: 'text/html' } });
  t.regex(html.body, /No app here/);
});

test('fails with 404 for hosts of apps that were never deployed, and the API keeps its own host', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  t.is((await appRequest(api, 'abcdefghij', '/')).status, 404);
  const health = await fetch(`${api.url}/api/health`);
  t.is(health.status, 200);
  t.is(((await health.json()) as { runtime: string }).runtime, 'local');
});
