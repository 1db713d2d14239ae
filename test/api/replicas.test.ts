/**
 * Two API replicas on one database, a client switching between them: every write through one is seen
 * by the next request through the other (apps, drafts, renames, deletes, templates, settings, token
 * revocations, demotions), log tickets open sockets on either, sign-in throttling and rate limits count
 * across both, and the per-app deploy lock is held across both.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { Client, newApp, signUp, startApi, withAdmin, type TestApi, type TestUser } from '../helpers/api.js';

async function twoReplicas(t: Parameters<typeof startApi>[0], env: Record<string, string> = {}): Promise<[TestApi, TestApi]> {
  const shared = { SECRET_KEY: randomBytes(32).toString('hex'), ...env };
  const a = await startApi(t, { env: shared });
  const b = await startApi(t, { env: shared, database: a.config.mongoDb });
  return [a, b];
}

/** The same user, signed in once, talking to the other replica. */
function on(api: TestApi, user: TestUser): TestUser {
  return { ...user, client: new Client(api, { bearer: (user.client.authorization().authorization ?? '').replace('Bearer ', '') }) };
}

test('an app created, renamed, edited and deleted on one replica is seen that way on the other at the next request', async (t) => {
  const [a, b] = await twoReplicas(t);
  const onA = await signUp(a);
  const onB = on(b, onA);
  t.deepEqual((await onB.client.get('/api/apps')).body.apps, []);
  const app = await newApp(onA, { name: 'Shared' });
  t.deepEqual((await onB.client.get('/api/apps')).body.apps.map((x: { id: string }) => x.id), [app.id]);
  const second = await newApp(onB, { name: 'Second' });
  t.deepEqual((await onA.client.get('/api/apps')).body.apps.map((x: { id: string }) => x.id), [second.id, app.id]);

  t.is((await onA.client.patch(`/api/apps/${app.id}`, { name: 'Renamed' })).status, 200);
  const listed = (await onB.client.get('/api/apps')).body.apps;
  t.deepEqual(listed.map((x: { id: string; name: string }) => [x.id, x.name]), [[app.id, 'Renamed'], [second.id, 'Second']]);
  t.is((await onB.client.get(`/api/apps/${app.id}`)).body.name, 'Renamed');

  const saved = await onB.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n' } });
  t.is(saved.status, 200);
  const seen = (await onA.client.get(`/api/apps/${app.id}`)).body;
  t.is(seen.draftRevision, 2);
  t.is(seen.draft.files['app.py'], 'from fastapi import FastAPI\napp = FastAPI()\n');
  t.is((await onA.client.get(`/api/apps/${app.id}/draft`)).body.revision, 2);
  // A save on the other replica from the stale revision is refused, not applied over the first.
  const stale = await onA.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: { 'app.py': 'x = 1\n' } });
  t.is(stale.status, 409);
  t.is(stale.body.error.details.currentRevision, 2);

  t.is((await onA.client.delete(`/api/apps/${app.id}`)).status, 204);
  t.deepEqual((await onB.client.get('/api/apps')).body.apps.map((x: { id: string }) => x.id), [second.id]);
  t.is((await onB.client.get(`/api/apps/${app.id}`)).status, 404);
});

test('pages listed across replicas stay stable while apps change', async (t) => {
  const [a, b] = await twoReplicas(t);
  const onA = await signUp(a);
  const onB = on(b, onA);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await newApp(onA, { name: `App ${i}` })).id);
  const first = (await onB.client.get('/api/apps?limit=3')).body;
  t.deepEqual(first.apps.map((x: { id: string }) => x.id), [ids[5], ids[4], ids[3]]);
  // An app on the first page changes (moves to the front) on the other replica between pages.
  await onA.client.patch(`/api/apps/${ids[4]}`, { description: 'touched' });
  const second = (await onA.client.get(`/api/apps?limit=3&cursor=${first.nextCursor}`)).body;
  t.deepEqual(second.apps.map((x: { id: string }) => x.id), [ids[2], ids[1], ids[0]]);
  t.is(second.nextCursor, null);
  const bad = await onB.client.get('/api/apps?cursor=not-a-cursor');
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'invalid_input');
});

test('a log ticket issued by one replica opens the stream on the other, once', async (t) => {
  const [a, b] = await twoReplicas(t);
  const onA = await signUp(a);
  const app = await newApp(onA, { name: 'Logs' });
  const ticket = (await onA.client.post(`/api/apps/${app.id}/logs/ticket`)).body;
  const connect = (api: TestApi) => new Promise<number>((resolve) => {
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}${ticket.url}`);
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
  t.is(await connect(b), 101);
  t.is(await connect(a), 401, 'a ticket opens one connection, whichever replica took it');
  t.is(await connect(b), 401);
});

test('sign-in failures sent at once to both replicas are all counted', async (t) => {
  const [a, b] = await twoReplicas(t);
  const user = await signUp(a);
  const intoWindow = Date.now() % (15 * 60_000);
  if (intoWindow > 15 * 60_000 - 30_000) await new Promise((resolve) => setTimeout(resolve, 15 * 60_000 + 500 - intoWindow));
  const attempt = (api: TestApi) => new Client(api).post('/api/auth/login', { login: user.username, password: 'wrong password here', mode: 'token' });
  // Eight failures at once, four through each replica: none may be lost to a race, so the next waits.
  const statuses = (await Promise.all([a, b, a, b, a, b, a, b].map(attempt))).map((r) => r.status);
  t.true(statuses.every((s) => s === 401 || s === 429), statuses.join());
  const next = await attempt(a);
  t.is(next.status, 429);
  const waited = Number(next.headers.get('retry-after'));
  // Eight failures with five free: the third delay (4 s) or more, unless some were refused before counting.
  t.true(waited >= 1, String(waited));
  const counted = await a.db.counters.countDocuments({ _id: { $regex: `^signin:f:${user.id}\\|` }, count: { $gte: 1 } });
  t.is(counted - 1, statuses.filter((s) => s === 401).length, 'every failed attempt is one counted event (plus the head)');
});

test('sign-in throttling counts failures across both replicas', async (t) => {
  const [a, b] = await twoReplicas(t);
  const user = await signUp(a);
  const attempt = (api: TestApi) => new Client(api).post('/api/auth/login', { login: user.username, password: 'wrong password here', mode: 'token' });
  // Five failures spread over the replicas: each saw fewer than five, together they reach the budget.
  for (const api of [a, b, a, b, a]) t.is((await attempt(api)).status, 401);
  // From here each failure doubles the wait (1 s, 2 s, 4 s…): however slow this machine is, an
  // attempt soon comes before its wait is over and is refused, whichever replica it reaches.
  let refused;
  for (let i = 0; i < 8 && !refused; i++) {
    const res = await attempt(i % 2 ? a : b);
    if (res.status === 429) refused = res;
    else t.is(res.status, 401);
  }
  t.truthy(refused, 'throttled');
  t.regex(refused?.body.error.message ?? '', /failed sign-ins/);
  t.true(Number(refused?.headers.get('retry-after')) >= 1);
});

test('the sign-in rate limit per address is one budget for both replicas', async (t) => {
  const [a, b] = await twoReplicas(t, { LOGIN_RATE_PER_MINUTE: '4' });
  // Windows are whole minutes: start well inside one, so all six attempts fall in the same window.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
  // Unknown accounts, so only the per-address rate limit can refuse; all six at once, three through
  // each replica: exactly four get through, none lost to a race.
  const attempt = (api: TestApi, i: number) => new Client(api).post('/api/auth/login', { login: `nobody${i}`, password: 'wrong password here', mode: 'token' });
  const statuses = (await Promise.all([a, b, a, b, a, b].map((api, i) => attempt(api, i)))).map((r) => r.status);
  t.deepEqual(statuses.sort(), [401, 401, 401, 401, 429, 429]);
});

test('revoking a session, demoting an admin and changing settings on one replica apply on the other at the next request', async (t) => {
  const [a, b] = await twoReplicas(t);
  const admin = await withAdmin(a);
  const other = await signUp(a);
  const made = await admin.client.patch(`/api/admin/users/${other.id}`, { isAdmin: true });
  t.is(made.status, 200);
  // Promoted: a fresh sign-in carries the role, on either replica.
  const login = await new Client(b).post('/api/auth/login', { login: other.username, password: other.password, mode: 'token' });
  const promoted = new Client(b, { bearer: login.body.accessToken });
  t.is((await promoted.get('/api/admin/settings')).status, 200);
  t.is((await admin.client.patch(`/api/admin/users/${other.id}`, { isAdmin: false })).status, 200);
  t.is((await promoted.get('/api/admin/settings')).status, 401, 'the demoted admin\'s token is refused on the other replica at once');

  t.is((await admin.client.put('/api/admin/settings', { maxAppsPerUser: 1 })).status, 200);
  const user = on(b, await signUp(a));
  await newApp(user, { name: 'Only one' });
  const refused = await user.client.post('/api/apps', { name: 'Two' });
  t.is(refused.status, 403);

  const session = await new Client(a).post('/api/auth/login', { login: user.username, password: user.password, mode: 'token' });
  const client = new Client(b, { bearer: session.body.accessToken });
  t.is((await client.get('/api/apps')).status, 200);
  t.is((await new Client(a, { bearer: session.body.accessToken }).post('/api/auth/logout')).status, 204);
  t.is((await client.get('/api/apps')).status, 401, 'signed out on one replica, refused on the other');
});

test('a template saved on one replica is listed on the other', async (t) => {
  const [a, b] = await twoReplicas(t);
  const onA = await signUp(a);
  const onB = on(b, onA);
  const app = await newApp(onA, { name: 'Base', templateId: 'builtin-hello-fastapi' });
  const created = await onA.client.post('/api/templates', { title: 'Mine', description: 'd', complexity: 'beginner', tags: [], fromAppId: app.id });
  t.is(created.status, 201, JSON.stringify(created.body));
  const mine = (await onB.client.get('/api/templates?scope=mine')).body;
  t.deepEqual(mine.templates.map((x: { title: string }) => x.title), ['Mine']);
  t.is((await onB.client.delete(`/api/templates/${created.body.id}`)).status, 204);
  t.deepEqual((await onA.client.get('/api/templates?scope=mine')).body.templates, []);
});

test('the per-app deploy lock held on one replica makes a deploy through the other wait', async (t) => {
  const [a, b] = await twoReplicas(t);
  const onA = await signUp(a);
  const onB = on(b, onA);
  const app = await newApp(onA, { name: 'Locked', templateId: 'builtin-hello-fastapi' });
  let releasedAt = 0;
  const held = a.services.deploys.withAppLock(app.id, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    releasedAt = Date.now();
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const deployed = await onB.client.post(`/api/apps/${app.id}/deploy`, {});
  const answeredAt = Date.now();
  await held;
  t.is(deployed.status, 202, JSON.stringify(deployed.body));
  t.true(releasedAt > 0 && answeredAt >= releasedAt, 'the deploy on B went ahead only after A released the lock');
  t.is((await onA.client.get(`/api/apps/${app.id}`)).body.status.version, 1);
});
