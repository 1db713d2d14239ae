/**
 * Boot: the API serves while its first reconcile brings deployed apps back; health says `starting`
 * with the pass's progress until it ends. The pass converges apps a bounded number at a time, and with
 * `settle` takes the next app only once the one before answered.
 */
import test from 'ava';
import { BootState } from '../../api/services/boot.js';
import { newApp, signUp, startApi } from '../helpers/api.js';

test('health reports starting with the reconcile\'s progress, then ok', async (t) => {
  const api = await startApi(t);
  const health = await fetch(`${api.url}/api/health`);
  t.is(health.status, 200);
  t.like(await health.json(), { status: 'ok' });
  const boot = new BootState();
  boot.reconciling(3);
  boot.reconciled();
  t.deepEqual(boot.view(), { status: 'starting', reconcile: { total: 3, done: 1 } });
  boot.ready();
  t.is(boot.view().status, 'ok');
});

test('while it drains after SIGTERM, health answers 503 in the error shape, and other requests are still served', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  api.services.boot.stopping();
  const health = await fetch(`${api.url}/api/health`);
  t.is(health.status, 503);
  t.like(await health.json(), { error: { code: 'unavailable', message: 'This API replica is stopping; the others take new requests.' } });
  t.is((await user.client.get('/api/apps')).status, 200, 'a request that reaches it is still answered');
});

test('a reconcile pass converges every deployed app, at most `concurrency` at once, reporting each', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const app = await newApp(user, { name: `App ${i}`, templateId: 'builtin-hello-fastapi' });
    t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
    ids.push(app.id);
  }
  // The runtime forgot them (a restart): the pass must bring all five back.
  for (const id of ids) await api.runtime.remove(id);
  let running = 0;
  let most = 0;
  const ensure = api.runtime.ensure.bind(api.runtime);
  api.runtime.ensure = async (desired) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await ensure(desired);
    running -= 1;
  };
  const done: string[] = [];
  let total = -1;
  const result = await api.services.deploys.reconcile({ concurrency: 2, settle: true, settleMs: 5000, onTotal: (n) => { total = n; }, onDone: (id) => done.push(id) });
  t.is(total, 5);
  t.deepEqual([...done].sort(), [...ids].sort());
  t.is(result.ensured, 5);
  t.deepEqual(result.problems, []);
  t.true(most <= 2 && most >= 1, `at most 2 at once (saw ${most})`);
  t.deepEqual((await api.runtime.appIds()).sort(), [...ids].sort());
});
