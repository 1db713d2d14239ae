/**
 * Drafts, deploys, versions and env vars over HTTP: a draft never changes what runs, deploy publishes
 * a version, unchanged content is a no-op, rollback becomes a new version, an env-only change keeps the
 * code version, a stale revision gets 409. The tests that involve a runtime run twice: against the
 * runtime double and against the real local runtime, where what runs is also checked through the proxy.
 */
import test, { type ExecutionContext } from 'ava';
import { appRequest, newApp, signUp, startApi, waitForPhase, type RuntimeKind, type TestApi, type TestUser } from '../helpers/api.js';
import type { FakeRuntime } from '../helpers/fake-runtime.js';

const v1 = { 'app.py': 'import os\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"v": 1, "mode": os.environ.get("MODE")}\n' };
const v2 = { ...v1, 'app.py': v1['app.py'].replace('"v": 1', '"v": 2'), 'helpers.py': 'X = 2\n' };
const runtimes: readonly RuntimeKind[] = ['double', 'local'];

/** What the app answers at / (local runtime), or null behind the double. */
async function served(api: TestApi, appId: string): Promise<unknown> {
  if (!api.gateway) return null;
  const reply = await appRequest(api, appId, '/');
  return reply.status === 200 ? JSON.parse(reply.body) : `${reply.status} ${reply.body}`;
}

/** Registers a test once per runtime. */
function contract(title: string, body: (t: ExecutionContext, api: TestApi, kind: RuntimeKind) => Promise<void>): void {
  for (const kind of runtimes) test(`${title} (${kind} runtime)`, async (t) => body(t, await startApi(t, { runtime: kind }), kind));
}

async function deployed(user: TestUser, appId: string): Promise<any> {
  const res = await user.client.post(`/api/apps/${appId}/deploy`, {});
  if (res.status !== 202) throw new Error(`deploy → ${res.status}: ${JSON.stringify(res.body)}`);
  await waitForPhase(user, appId, 'running');
  return res.body;
}

contract('saving a draft never changes the deployed version', async (t, api, kind) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'D', files: v1 });
  t.is((await deployed(user, app.id)).version, 1);
  const saved = await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: v2 });
  t.is(saved.status, 200);
  t.is(saved.body.revision, 2);
  t.true(saved.body.valid);
  const after = (await user.client.get(`/api/apps/${app.id}`)).body;
  t.is(after.status.version, 1);
  t.true(after.hasUnpublishedChanges);
  t.is((await user.client.get(`/api/apps/${app.id}/versions`)).body.versions.length, 1);
  t.is(api.calls.deploys.length, 1);
  if (kind === 'local') t.like(await served(api, app.id), { v: 1 });
});

contract('deploy publishes the draft as a new version; deploying unchanged content is a no-op', async (t, api, kind) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'D', files: v1 });
  await deployed(user, app.id);
  await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: v2 });
  const second = await deployed(user, app.id);
  t.deepEqual([second.changed, second.version], [true, 2]);
  const calls = api.calls;
  t.deepEqual(calls.deploys.map((d) => d.version.number), [1, 2]);
  t.deepEqual(calls.deploys[1]?.version.files.map((f) => f.path), ['app.py', 'helpers.py']);
  if (kind === 'local') t.like(await served(api, app.id), { v: 2 });
  const again = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  t.is(again.status, 202);
  t.deepEqual([again.body.changed, again.body.version], [false, 2]);
  t.is(calls.deploys.length, 2);
  const detail = (await user.client.get(`/api/apps/${app.id}`)).body;
  t.false(detail.hasUnpublishedChanges);
  t.is(detail.latestVersion, 2);
});

contract('rollback makes the chosen content a new version and the draft', async (t, api, kind) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'R', files: v1 });
  await deployed(user, app.id);
  await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: v2 });
  await deployed(user, app.id);
  const rolled = await user.client.post(`/api/apps/${app.id}/rollback`, { version: 1 });
  t.is(rolled.status, 202);
  t.is(rolled.body.version, 3);
  await waitForPhase(user, app.id, 'running');
  const v3 = (await user.client.get(`/api/apps/${app.id}/versions/3`)).body;
  t.deepEqual(v3.files, v1);
  t.is(v3.source, 'rollback');
  t.is(v3.rolledBackFrom, 1);
  t.true(v3.deployed);
  t.deepEqual((await user.client.get(`/api/apps/${app.id}/draft`)).body.files, v1);
  const versions = (await user.client.get(`/api/apps/${app.id}/versions`)).body.versions;
  t.deepEqual(versions.map((v: { number: number }) => v.number), [3, 2, 1]);
  t.is((await user.client.post(`/api/apps/${app.id}/rollback`, { version: 9 })).status, 404);
  if (kind === 'local') t.like(await served(api, app.id), { v: 1 });
});

contract('an env-only change redeploys the same code version with the new env', async (t, api, kind) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'E', files: v1, env: [{ name: 'MODE', value: 'one' }] });
  await deployed(user, app.id);
  const runtime = api.calls;
  const own = (env: Record<string, string> | undefined) => Object.fromEntries(Object.entries(env ?? {}).filter(([k]) => k !== 'PLATFORM_MONGO_URI'));
  t.deepEqual(own(runtime.deploys[0]?.env), { MODE: 'one' });
  if (kind === 'local') t.like(await served(api, app.id), { v: 1, mode: 'one' });
  const env = await user.client.put(`/api/apps/${app.id}/env`, { vars: [{ name: 'MODE', value: 'two' }, { name: 'EXTRA', value: 'x' }] });
  t.is(env.status, 200);
  t.true(env.body.redeployed);
  t.deepEqual(env.body.env.map((v: { name: string; value: string }) => [v.name, v.value]), [['MODE', '••••••••'], ['EXTRA', '••••••••']]);
  await waitForPhase(user, app.id, 'running');
  t.is(runtime.deploys.length, 2);
  t.is(runtime.deploys[1]?.version.number, 1, 'the code version stays');
  t.deepEqual(own(runtime.deploys[1]?.env), { MODE: 'two', EXTRA: 'x' });
  if (kind === 'local') t.like(await served(api, app.id), { v: 1, mode: 'two' });
  t.is((await user.client.get(`/api/apps/${app.id}/versions`)).body.versions.length, 1);
  // Keeping a value by omitting it, removing one by leaving it out.
  await user.client.put(`/api/apps/${app.id}/env`, { vars: [{ name: 'MODE' }] });
  await waitForPhase(user, app.id, 'running');
  t.deepEqual(own(runtime.deploys[2]?.env), { MODE: 'two' });
});

test('env values are encrypted at rest and never returned', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'S', files: v1, env: [{ name: 'API_KEY', value: 'sk-very-secret-123' }] });
  const stored = await api.db.apps.findOne({ _id: app.id });
  t.regex(stored?.env[0]?.value ?? '', /^v1\./);
  t.false(JSON.stringify(stored).includes('sk-very-secret-123'));
  const read = await user.client.get(`/api/apps/${app.id}/env`);
  t.false(JSON.stringify(read.body).includes('sk-very-secret-123'));
  t.false(JSON.stringify((await user.client.get(`/api/apps/${app.id}`)).body).includes('sk-very-secret-123'));
});

test('fails when env var names are the platform\'s or invalid, naming each one', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'N', files: v1 });
  const res = await user.client.put(`/api/apps/${app.id}/env`, { vars: [{ name: 'PORT', value: '1' }, { name: '9lives', value: 'x' }, { name: 'PLATFORM_MONGO_URI', value: 'x' }, { name: 'NEW' }] });
  t.is(res.status, 400);
  t.deepEqual(res.body.error.details.problems.map((p: { name: string }) => p.name), ['PORT', '9lives', 'PLATFORM_MONGO_URI', 'NEW']);
});

test('fails when the draft revision is stale: 409 with the current revision; concurrent saves, one wins', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'C', files: v1 });
  t.is((await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: v2 })).status, 200);
  const stale = await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: v1 });
  t.is(stale.status, 409);
  t.is(stale.body.error.details.currentRevision, 2);
  const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => user.client.put(`/api/apps/${app.id}/draft`, { revision: 2, files: { ...v1, 'n.py': `N = ${i}\n` } })));
  t.deepEqual(racers.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
  const winner = racers.find((r) => r.status === 200);
  const draft = (await user.client.get(`/api/apps/${app.id}/draft`)).body;
  t.is(draft.revision, 3);
  t.is(winner?.body.revision, 3);
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, { draftRevision: 2 })).status, 409);
});

test('a draft with a syntax error can be saved (work in progress) but not deployed', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'W', files: v1 });
  const broken = { ...v1, 'app.py': 'from fastapi import FastAPI\napp = FastAPI(\n' };
  const saved = await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: broken });
  t.is(saved.status, 200);
  t.false(saved.body.valid);
  t.like(saved.body.findings[0], { file: 'app.py', line: 2, code: 'syntax-error' });
  const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  t.is(deploy.status, 400);
  t.regex(deploy.body.error.message, /app\.py:2/);
  t.is(api.calls.deploys.length, 0);
});

contract('a failed rollout is recorded with its file and line; the next deploy retries', async (t, api, kind) => {
  const user = await signUp(api);
  const broken = { 'app.py': 'import os\nfrom fastapi import FastAPI\n\nTOKEN = os.environ["TOKEN"]\napp = FastAPI()\n' };
  const app = await newApp(user, { name: 'F', files: broken });
  const fake = api.runtime as FakeRuntime;
  if (kind === 'double') fake.outcome = { failure: { reason: 'start-failed', message: "KeyError: 'TOKEN'", file: 'app.py', line: 4 } };
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  const failed = await waitForPhase(user, app.id, 'failed');
  t.like(failed.status, { phase: 'failed', version: 1, message: "KeyError: 'TOKEN'", file: 'app.py', line: 4 });
  if (kind === 'double') fake.outcome = 'ready';
  const retry = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  t.true(retry.body.changed, 'a failed version is deployed again, not skipped');
  if (kind === 'local') {
    await waitForPhase(user, app.id, 'failed');
    // The same version with the variable it needs.
    t.true((await user.client.put(`/api/apps/${app.id}/env`, { vars: [{ name: 'TOKEN', value: 't' }] })).body.redeployed);
  }
  await waitForPhase(user, app.id, 'running');
  t.is((await user.client.get(`/api/apps/${app.id}/versions`)).body.versions.length, 1);
});

contract('only the newest ten versions are kept', async (t, api) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'K', files: v1 });
  for (let i = 1; i <= 12; i++) {
    await user.client.put(`/api/apps/${app.id}/draft`, { revision: i, files: { ...v1, 'n.py': `N = ${i}\n` } });
    await deployed(user, app.id);
  }
  const numbers = (await user.client.get(`/api/apps/${app.id}/versions`)).body.versions.map((v: { number: number }) => v.number);
  t.deepEqual(numbers, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  t.is(await api.db.versions.countDocuments({ appId: app.id }), 10);
  t.is((await user.client.get(`/api/apps/${app.id}/versions/1`)).status, 404);
});

contract('concurrent deploys of one app are serialized: one version per distinct content', async (t, api) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'P', files: v1 });
  const results = await Promise.all(Array.from({ length: 5 }, () => user.client.post(`/api/apps/${app.id}/deploy`, {})));
  t.true(results.every((r) => r.status === 202));
  t.is(results.filter((r) => r.body.changed).length, 1);
  t.is(await api.db.versions.countDocuments({ appId: app.id }), 1);
});
