/** Apps over HTTP: create (template, files, blank, idempotent), list, update, clone, delete. */
import test from 'ava';
import { newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';

test('creates from a template, from files and blank; the draft holds the project', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const fromTemplate = await newApp(user, { name: 'Todo', templateId: 'builtin-todo-api' });
  t.is(fromTemplate.framework, 'fastapi');
  t.true(fromTemplate.draft.files['app.py'].includes('Todo'));
  t.is(fromTemplate.status.phase, 'draft');
  t.is(fromTemplate.url, `http://app-${fromTemplate.id}.apps.test`);
  const fromFiles = await newApp(user, { name: 'Files', files: { 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' }, entrypoint: 'main.py' });
  t.is(fromFiles.draft.entrypoint, 'main.py');
  const blank = await newApp(user, { name: 'Blank' });
  t.deepEqual(Object.keys(blank.draft.files), ['app.py']);
  t.regex(blank.id, /^[a-z0-9]{10}$/);
});

test('fails when the project cannot be stored: a path escaping the project, a bad extension', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const res = await user.client.post('/api/apps', { name: 'Bad', files: { 'app.py': 'x', '../up.py': '', 'run.sh': '' } });
  t.is(res.status, 400);
  t.deepEqual(res.body.error.details.findings.map((f: { code: string }) => f.code).sort(), ['extension-not-allowed', 'path-invalid']);
});

test('a double-clicked Create with one idempotency key makes one app, sequentially or at once', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const body = { name: 'Once', templateId: 'builtin-hello-fastapi' };
  const first = await user.client.post('/api/apps', body, { headers: { 'idempotency-key': 'click-0001' } });
  const again = await user.client.post('/api/apps', body, { headers: { 'idempotency-key': 'click-0001' } });
  t.is(first.status, 201);
  t.is(again.body.id, first.body.id);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  const burst = await Promise.all(Array.from({ length: 8 }, () => user.client.post('/api/apps', { ...body, name: 'Burst' }, { headers: { 'idempotency-key': 'click-0002' } })));
  t.true(burst.every((r) => r.status === 201), burst.map((r) => r.status).join());
  t.is(new Set(burst.map((r) => r.body.id)).size, 1);
  t.is(await api.db.apps.countDocuments({ ownerId: user.id }), 2);
  // Another user reusing the key gets their own app.
  const other = await signUp(api);
  const theirs = await other.client.post('/api/apps', body, { headers: { 'idempotency-key': 'click-0001' } });
  t.not(theirs.body.id, first.body.id);
});

test('lists with search, status filter and cursor pagination', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  for (let i = 0; i < 7; i++) await newApp(user, { name: i % 2 ? `Shop ${i}` : `Blog ${i}`, templateId: 'builtin-hello-fastapi' });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = (await user.client.get(`/api/apps?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body;
    t.true(page.apps.length <= 3);
    seen.push(...page.apps.map((a: { id: string }) => a.id));
    cursor = page.nextCursor;
  } while (cursor);
  t.is(seen.length, 7);
  t.is(new Set(seen).size, 7);
  const shops = (await user.client.get('/api/apps?search=shop')).body.apps;
  t.is(shops.length, 3);
  t.true(shops.every((a: { name: string }) => a.name.startsWith('Shop')));
  t.is((await user.client.get('/api/apps?search=.*')).body.apps.length, 0, 'search is literal, not a regex');
  const deployed = shops[0];
  await user.client.post(`/api/apps/${deployed.id}/deploy`, {});
  await waitForPhase(user, deployed.id, 'running');
  t.deepEqual((await user.client.get('/api/apps?status=running')).body.apps.map((a: { id: string }) => a.id), [deployed.id]);
  t.is((await user.client.get('/api/apps?status=draft')).body.apps.length, 6);
  const bad = await user.client.get('/api/apps?cursor=not-a-cursor');
  t.is(bad.status, 400);
});

test('update renames; clone copies the draft and env vars into a new app', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Original', templateId: 'builtin-hello-fastapi', env: [{ name: 'GREETING', value: 'hi' }] });
  t.is((await user.client.patch(`/api/apps/${app.id}`, { name: 'Renamed' })).body.name, 'Renamed');
  const clone = await user.client.post(`/api/apps/${app.id}/clone`, {});
  t.is(clone.status, 201);
  t.is(clone.body.name, 'Renamed copy');
  t.deepEqual(clone.body.draft.files, app.draft.files);
  t.deepEqual(clone.body.env.map((v: { name: string }) => v.name), ['GREETING']);
  const stored = await api.db.apps.findOne({ _id: clone.body.id });
  t.is(api.services.env.decrypt(stored!).GREETING, 'hi');
});

test('delete removes the app, its runtime objects, drafts and versions', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user);
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  t.is((await user.client.delete(`/api/apps/${app.id}`)).status, 204);
  t.deepEqual(api.calls.removed, [app.id]);
  t.is((await user.client.get(`/api/apps/${app.id}`)).status, 404);
  t.is(await api.db.drafts.countDocuments({ appId: app.id }), 0);
  t.is(await api.db.versions.countDocuments({ appId: app.id }), 0);
  t.is(await api.db.apps.countDocuments({ _id: app.id }), 0);
});

test('fails when a user exceeds the apps limit', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  await admin.client.put('/api/admin/settings', { maxAppsPerUser: 2 });
  const user = await signUp(api);
  await newApp(user);
  await newApp(user);
  const third = await user.client.post('/api/apps', { name: 'Third' });
  t.is(third.status, 403);
  t.regex(third.body.error.message, /most this platform allows/);
});
