/**
 * The drift wrapper (api/runtime/drift.ts) over a scripted runtime: reconciliation that finds an app's
 * workload gone and starts it again is recorded as a Repaired event; one that keeps a sleeping app
 * asleep, or finds the app already running, records nothing.
 */
import test from 'ava';
import { withDriftEvents } from '../../api/runtime/drift.js';
import type { DesiredApp } from '../../api/runtime/types.js';
import { fakeRuntime } from '../helpers/fake-runtime.js';

const desired = (id: string, patch: Partial<DesiredApp> = {}): DesiredApp => ({
  app: { id, ownerId: 'owner', name: id },
  version: { number: 3, files: [{ path: 'app.py', content: 'app = None\n' }], entrypoint: 'app.py', contentHash: 'h3' },
  servingVersion: null, env: {}, phase: 'running', ...patch,
});

const repairs = async (runtime: ReturnType<typeof withDriftEvents>, appId: string) =>
  (await runtime.events(appId, 20)).filter((e) => e.reason === 'Repaired');

test('an app found not running when the platform starts is started again, and its events say so', async (t) => {
  const runtime = withDriftEvents(fakeRuntime());
  await runtime.ensure(desired('gone000001'));
  const [repair, ...more] = await repairs(runtime, 'gone000001');
  t.is(more.length, 0);
  t.is(repair?.message, 'Version 3 should have been running but nothing of it was (found when the platform started); the platform started it again.');
  t.is(repair?.type, 'Warning');
});

test('a sleeping app kept asleep by reconciliation is no repair', async (t) => {
  const runtime = withDriftEvents(fakeRuntime());
  await runtime.ensure(desired('sleep00001', { sleeping: true }));
  t.deepEqual(await repairs(runtime, 'sleep00001'), []);
});

test('an app already running when reconciled is no repair', async (t) => {
  const inner = fakeRuntime();
  const runtime = withDriftEvents(inner);
  const app = desired('runs000001');
  await inner.deploy(app.app, app.version, {});
  await runtime.ensure(app);
  t.deepEqual(await repairs(runtime, 'runs000001'), []);
});
