/** Admin over HTTP: settings, users with the last-admin guard, delete with a full cascade, stats. */
import test from 'ava';
import { Client, browserSession, newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';
import { recordRequests } from '../helpers/traffic.js';

test('settings: the allowed-imports override changes what validation accepts', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const user = await signUp(api);
  const files = { 'app.py': 'from fastapi import FastAPI\nimport yaml\napp = FastAPI()\n' };
  t.false((await user.client.post('/api/validate', { files })).body.valid);
  const settings = (await admin.client.get('/api/admin/settings')).body;
  t.is(settings.allowedImports, null);
  t.true(settings.defaultAllowedImports.includes('fastapi'));
  const updated = await admin.client.put('/api/admin/settings', { allowedImports: [...settings.defaultAllowedImports, ' yaml '] });
  t.true(updated.body.allowedImports.includes('yaml'));
  t.is(updated.body.updatedBy, admin.id);
  await new Promise((resolve) => setTimeout(resolve, 2100)); // the settings cache
  t.true((await user.client.post('/api/validate', { files })).body.valid);
  t.is((await admin.client.put('/api/admin/settings', { allowedImports: [] })).status, 400);
});

test('fails when a non-admin calls admin routes: 403', async (t) => {
  const api = await startApi(t);
  await signUp(api);
  const user = await signUp(api);
  for (const path of ['/api/admin/settings', '/api/admin/users', '/api/admin/templates', '/api/admin/stats']) {
    const res = await user.client.get(path);
    t.is(res.status, 403, path);
    t.is(res.body.error.code, 'not_allowed');
  }
});

test('an admin creates a user while sign-ups are off and promotes them: their older token ends, a fresh sign-in is admin', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  await admin.client.put('/api/admin/settings', { allowSignups: false });
  const created = await admin.client.post('/api/admin/users', { username: 'newcomer', email: 'new@example.com', password: 'long enough pw' });
  t.is(created.status, 201);
  t.false(created.body.user.isAdmin);
  const login = await new Client(api).post('/api/auth/login', { login: 'newcomer', password: 'long enough pw', mode: 'token' });
  t.is(login.status, 200);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const promoted = await admin.client.patch(`/api/admin/users/${created.body.user.id}`, { isAdmin: true });
  t.true(promoted.body.user.isAdmin);
  t.is((await new Client(api, { bearer: login.body.accessToken }).get('/api/auth/me')).status, 401, 'the token carrying the old role ends');
  const relogin = await new Client(api).post('/api/auth/login', { login: 'newcomer', password: 'long enough pw', mode: 'token' });
  t.is((await new Client(api, { bearer: relogin.body.accessToken }).get('/api/admin/stats')).status, 200);
  const list = (await admin.client.get('/api/admin/users?search=newcomer')).body;
  t.is(list.total, 1);
});

test('an admin creates an admin in one request; a role that is not a boolean is refused and creates nothing', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const bad = await admin.client.post('/api/admin/users', { username: 'half-made', email: 'half@example.com', password: 'long enough pw', isAdmin: 'yes' });
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'invalid_input');
  t.is((await admin.client.get('/api/admin/users?search=half-made')).body.total, 0);
  const created = await admin.client.post('/api/admin/users', { username: 'second-admin', email: 'second@example.com', password: 'long enough pw', isAdmin: true });
  t.is(created.status, 201);
  t.true(created.body.user.isAdmin);
  const login = await new Client(api).post('/api/auth/login', { login: 'second-admin', password: 'long enough pw', mode: 'token' });
  t.is((await new Client(api, { bearer: login.body.accessToken }).get('/api/admin/stats')).status, 200);
});

test('fails when the last admin would be demoted or deleted', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const other = await signUp(api);
  const demote = await admin.client.patch(`/api/admin/users/${admin.id}`, { isAdmin: false });
  t.is(demote.status, 409);
  t.regex(demote.body.error.message, /last admin/);
  const selfDelete = await admin.client.delete(`/api/admin/users/${admin.id}`);
  t.is(selfDelete.status, 403);
  // With two admins demoting each other at once, one stays admin.
  await admin.client.patch(`/api/admin/users/${other.id}`, { isAdmin: true });
  const otherAdmin = await new Client(api).post('/api/auth/login', { login: other.username, password: other.password, mode: 'token' });
  const otherClient = new Client(api, { bearer: otherAdmin.body.accessToken });
  const results = await Promise.all([
    admin.client.patch(`/api/admin/users/${other.id}`, { isAdmin: false }),
    otherClient.patch(`/api/admin/users/${admin.id}`, { isAdmin: false }),
  ]);
  t.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
  t.is(await api.db.users.countDocuments({ isAdmin: true }), 1);
});

test('deleting a user leaves no apps, cluster objects, sessions, tokens, templates or request logs of theirs', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const user = await signUp(api);
  await browserSession(api, user);
  const app = await newApp(user);
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  await user.client.post('/api/auth/tokens', { name: 'ci' });
  await user.client.post('/api/templates', { title: 'Theirs', description: 'x', fromAppId: app.id });
  await user.client.post('/api/apps', { name: 'Keyed' }, { headers: { 'idempotency-key': 'key-12345678' } });
  await recordRequests(api, app.id, user.id, [{ id: 'r1', at: new Date(), method: 'GET', path: '/', status: 200, latencyMs: 3, bytes: 2, version: 1, wakeMs: null, error: null, coldStart: false }]);
  t.is((await api.services.traffic.recent(app.id, user.id, 10)).length, 1);
  t.is((await admin.client.delete(`/api/admin/users/${user.id}`)).status, 204);
  t.is((await user.client.get('/api/auth/me')).status, 401);
  const counts = await Promise.all([
    api.db.users.countDocuments({ _id: user.id }), api.db.apps.countDocuments({ ownerId: user.id }), api.db.sessions.countDocuments({ userId: user.id }),
    api.db.apiTokens.countDocuments({ userId: user.id }), api.db.templates.countDocuments({ ownerId: user.id }), api.db.traffic.minutes.countDocuments({ ownerId: user.id }),
    api.db.drafts.countDocuments({ ownerId: user.id }), api.db.versions.countDocuments({ ownerId: user.id }), api.db.idempotency.countDocuments({ userId: user.id }),
  ]);
  t.deepEqual(counts, [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  t.true(api.calls.removed.includes(app.id));
  const login = await new Client(api).post('/api/auth/login', { login: user.username, password: user.password, mode: 'token' });
  t.is(login.status, 401);
});

test('an interrupted user deletion is finished by the sweep', async (t) => {
  const api = await startApi(t);
  await signUp(api);
  const user = await signUp(api);
  await newApp(user);
  await api.db.users.updateOne({ _id: user.id }, { $set: { deletingAt: new Date() } });
  await api.services.users.sweep();
  t.is(await api.db.apps.countDocuments({ ownerId: user.id }), 0);
  t.is(await api.db.users.countDocuments({ _id: user.id }), 0);
});

test('stats count users, apps by status and templates', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const user = await signUp(api);
  const app = await newApp(user);
  await newApp(user);
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  const stats = (await admin.client.get('/api/admin/stats')).body;
  t.like(stats, { users: 2, admins: 1, apps: { total: 2, draft: 1, running: 1, deploying: 0, failed: 0 } });
  t.true(stats.templates.global >= 10);
});
