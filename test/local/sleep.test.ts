/**
 * Sleep and wake on the local runtime, through the gateway in the platform's process: an app idle for
 * its timeout sleeps (its runner stops), the next requests wake it once however many arrive, browsers
 * get a self-refreshing page meanwhile, the state survives reconcile, and always-on apps never sleep.
 * The sweep is the platform's own (SleepService), called here instead of waiting for its schedule.
 */
import test from 'ava';
import { appRequest, newApp, signUp, startApi, waitForPhase, withAdmin, type TestApi, type TestUser, untilAsleep } from '../helpers/api.js';
import type { LocalRuntime } from '../../api/runtime/local/runtime.js';

const files = { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"awake": True}\n' };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function deployedApp(api: TestApi<LocalRuntime>, user: TestUser, name = 'Sleeper'): Promise<string> {
  const app = await newApp(user, { name, files });
  const res = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  if (res.status !== 202) throw new Error(`deploy → ${res.status}: ${JSON.stringify(res.body)}`);
  await waitForPhase(user, app.id, 'running', 120_000);
  const first = await appRequest(api, app.id, '/');
  if (first.status !== 200) throw new Error(`the app did not answer: ${first.status} ${first.body}`);
  return app.id;
}


test('an idle app sleeps (its runner stops), and 50 concurrent requests wake it once: each answers 200 and is recorded as cold', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const appId = await deployedApp(api, user);
  await untilAsleep(api, user, appId);
  t.is((await user.client.get(`/api/apps/${appId}/sleep`)).body.state, 'sleeping');
  t.is((await user.client.get(`/api/apps/${appId}/status`)).body.phase, 'sleeping');
  t.deepEqual(api.calls.sleeps, [appId]);

  const replies = await Promise.all(Array.from({ length: 50 }, () => appRequest(api, appId, '/')));
  t.deepEqual(replies.map((r) => r.status), Array(50).fill(200), replies.filter((r) => r.status !== 200).map((r) => r.body).join('\n'));
  t.deepEqual(api.calls.wakes, [appId], 'one wake for every waiting request');
  const sleep = (await user.client.get(`/api/apps/${appId}/sleep`)).body;
  t.is(sleep.state, 'awake');
  t.true(typeof sleep.lastWakeMs === 'number' && sleep.lastWakeMs > 0, JSON.stringify(sleep));

  await api.gateway?.traffic.flush();
  const records = (await user.client.get(`/api/apps/${appId}/requests?limit=100`)).body.requests as { coldStart: boolean; wakeMs: number | null }[];
  t.is(records.filter((r) => r.coldStart).length, 50, 'every request that waited for the wake is cold');
  t.true(records.filter((r) => r.coldStart).every((r) => typeof r.wakeMs === 'number'), 'each says how long it waited');
  t.is(records.filter((r) => !r.coldStart).length, 1, 'the request before the sleep was not');
  const metrics = (await user.client.get(`/api/apps/${appId}/metrics?minutes=5`)).body;
  t.is(metrics.totals.cold, 50);
});

test('a browser navigating to a sleeping app gets a self-refreshing starting page at once, then the app', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const appId = await deployedApp(api, user);
  await untilAsleep(api, user, appId);
  const page = await appRequest(api, appId, '/', { headers: { accept: 'text/html,application/xhtml+xml' } });
  t.is(page.status, 503);
  t.regex(String(page.headers['content-type']), /text\/html/);
  t.truthy(page.headers['retry-after']);
  t.regex(page.body, /http-equiv="refresh"|Starting/i);
  const deadline = Date.now() + 45_000;
  let last = page;
  while (Date.now() < deadline && last.status !== 200) {
    await pause(500);
    last = await appRequest(api, appId, '/', { headers: { accept: 'text/html' } });
  }
  t.is(last.status, 200, last.body.slice(0, 300));
  t.deepEqual(api.calls.wakes, [appId]);
});

test('a sleeping app stays asleep through reconcile; other apps neither sleep nor wake with it', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const other = await signUp(api);
  const appId = await deployedApp(api, user);
  const neighbour = await deployedApp(api, other, 'Neighbour');
  await untilAsleep(api, user, appId);
  t.false((await api.services.sleep.sweep()).includes(neighbour), 'the neighbour, on the platform\'s 15 minutes, stays awake');
  await api.services.deploys.reconcile();
  t.is((await user.client.get(`/api/apps/${appId}/sleep`)).body.state, 'sleeping');
  t.is((await user.client.get(`/api/apps/${appId}/status`)).body.phase, 'sleeping');
  t.is((await appRequest(api, neighbour, '/')).status, 200);
  t.deepEqual(api.calls.wakes, [], 'a request to another app wakes nothing');
  t.is((await other.client.get(`/api/apps/${appId}/sleep`)).status, 404, 'another user cannot see the app\'s sleep');
  t.is((await other.client.put(`/api/apps/${appId}/sleep`, { idleTimeoutSeconds: 60 })).status, 404);
});

test('fails when the idle timeout is out of range or a user grants always-on: nothing changes; an admin\'s always-on wakes the app and keeps it awake', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const admin = await withAdmin(api);
  const user = await signUp(api);
  const appId = await deployedApp(api, user);
  for (const idleTimeoutSeconds of [5, 8 * 86_400, 'ten', 1.5]) {
    const bad = await user.client.put(`/api/apps/${appId}/sleep`, { idleTimeoutSeconds });
    t.is(bad.status, 400, JSON.stringify(bad.body));
    t.truthy(bad.body.error?.message);
  }
  t.is((await user.client.get(`/api/apps/${appId}/sleep`)).body.idleTimeoutSeconds, null, 'nothing was stored');
  t.is((await user.client.put(`/api/admin/apps/${appId}/always-on`, { alwaysOn: true })).status, 403);

  await untilAsleep(api, user, appId);
  const granted = await admin.client.put(`/api/admin/apps/${appId}/always-on`, { alwaysOn: true });
  t.is(granted.status, 200, JSON.stringify(granted.body));
  t.like(granted.body, { alwaysOn: true, state: 'awake', effectiveIdleTimeoutSeconds: null });
  t.is((await appRequest(api, appId, '/')).status, 200);
  await pause(11_000);
  t.false((await api.services.sleep.sweep()).includes(appId), 'an always-on app never sleeps');
  t.is((await admin.client.put('/api/admin/apps/nosuchapp/always-on', { alwaysOn: true })).status, 404);
});
