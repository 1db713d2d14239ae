/**
 * Tenant isolation, derived from the router's own route table: every route must have a row here (the
 * first test fails otherwise). For each route: without credentials → 401; as a second user with the
 * first user's ids → 404 (admin routes: 403; lists: the first user's objects never appear); with invalid
 * input → 400 in the one error shape; with a malformed id → 404.
 */
import test, { type ExecutionContext } from 'ava';
import type { RouteSpec } from '../../api/http/route.js';
import { routes as contractRoutes } from '../../contract/index.js';
import { Client, newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';

interface Ids {
  app: string;
  template: string;
  token: string;
  session: string;
  user: string;
  database: string;
}

type Kind = 'public' | 'owned' | 'list' | 'admin' | 'self';

interface Row {
  readonly kind: Kind;
  /** Path parameters naming the first user's objects. */
  readonly params?: (ids: Ids) => Record<string, string | number>;
  /** A body valid in shape, so the second user gets past validation to the ownership check. */
  readonly body?: (ids: Ids) => unknown;
  /** A query string valid in shape, likewise. */
  readonly query?: string;
  /** A body (or query) the schema refuses. */
  readonly bad?: { body?: unknown; query?: string };
}

const files = { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
const template = { title: 'Isolation probe', description: 'x', complexity: 'beginner', tags: [] };

const table: Record<string, Row> = {
  'GET /api/health': { kind: 'public' },
  'GET /api/openapi.json': { kind: 'public' },
  'GET /api/docs': { kind: 'public' },
  'GET /api/auth/config': { kind: 'public' },
  'POST /api/auth/signup': { kind: 'public', bad: { body: { username: 'x', email: 'no', password: 'short' } } },
  'POST /api/auth/login': { kind: 'public', bad: { body: { login: '', password: 'x', mode: 'magic' } } },
  'POST /api/auth/refresh': { kind: 'public', bad: { body: { refreshToken: 7 } } },
  'POST /api/auth/logout': { kind: 'self' },
  'GET /api/auth/me': { kind: 'self' },
  'GET /api/auth/sessions': { kind: 'list' },
  'DELETE /api/auth/sessions/:id': { kind: 'owned', params: (ids) => ({ id: ids.session }) },
  'GET /api/auth/tokens': { kind: 'list' },
  'POST /api/auth/tokens': { kind: 'self', bad: { body: { name: '' } } },
  'DELETE /api/auth/tokens/:id': { kind: 'owned', params: (ids) => ({ id: ids.token }) },
  'POST /api/auth/device': { kind: 'public', bad: { body: { client: '' } } },
  'POST /api/auth/device/token': { kind: 'public', bad: { body: { deviceCode: 7 } } },
  // A device sign-in belongs to nobody until approved; whoever approves signs the CLI in as themselves.
  'GET /api/auth/device/:userCode': { kind: 'self', params: () => ({ userCode: 'BCDF-GHJK' }) },
  'POST /api/auth/device/:userCode/approve': { kind: 'self', params: () => ({ userCode: 'BCDF-GHJK' }) },
  'POST /api/auth/device/:userCode/deny': { kind: 'self', params: () => ({ userCode: 'BCDF-GHJK' }) },
  'GET /api/apps': { kind: 'list', bad: { query: 'limit=lots' } },
  'POST /api/apps': { kind: 'owned', body: (ids) => ({ name: 'steal', templateId: ids.template }), bad: { body: { name: '' } } },
  'GET /api/apps/:appId': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'PATCH /api/apps/:appId': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({ name: 'x' }), bad: { body: { name: 7 } } },
  'DELETE /api/apps/:appId': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'POST /api/apps/:appId/clone': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({}), bad: { body: { name: [] } } },
  'GET /api/apps/:appId/draft': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'PUT /api/apps/:appId/draft': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({ revision: 1, files }), bad: { body: { revision: 'one', files } } },
  'POST /api/apps/:appId/deploy': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({}), bad: { body: { draftRevision: -1 } } },
  'GET /api/apps/:appId/versions': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'GET /api/apps/:appId/versions/:version': { kind: 'owned', params: (ids) => ({ appId: ids.app, version: 1 }) },
  'POST /api/apps/:appId/rollback': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({ version: 1 }), bad: { body: { version: 'latest' } } },
  'GET /api/apps/:appId/env': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'PUT /api/apps/:appId/env': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({ vars: [] }), bad: { body: { vars: 'A=1' } } },
  'POST /api/validate': { kind: 'self', bad: { body: { files: 'app.py' } } },
  'GET /api/apps/:appId/status': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'GET /api/apps/:appId/progress': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'GET /api/apps/:appId/events': { kind: 'owned', params: (ids) => ({ appId: ids.app }), bad: { query: 'limit=0' } },
  'GET /api/apps/:appId/logs': { kind: 'owned', params: (ids) => ({ appId: ids.app }), bad: { query: 'tail=-5' } },
  'POST /api/apps/:appId/logs/ticket': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'GET /api/apps/:appId/manifests': { kind: 'owned', params: (ids) => ({ appId: ids.app }), bad: { query: 'of=tomorrow' } },
  'POST /api/apps/:appId/request': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({ method: 'GET', path: '/' }), bad: { body: { method: 'BREW', path: 'no-slash' } } },
  'GET /api/apps/:appId/requests': { kind: 'owned', params: (ids) => ({ appId: ids.app }), bad: { query: 'failed=maybe' } },
  'GET /api/apps/:appId/metrics': { kind: 'owned', params: (ids) => ({ appId: ids.app }), bad: { query: 'minutes=1' } },
  'GET /api/apps/:appId/sleep': { kind: 'owned', params: (ids) => ({ appId: ids.app }) },
  'PUT /api/apps/:appId/sleep': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: () => ({ idleTimeoutSeconds: 600 }), bad: { body: { idleTimeoutSeconds: 1 } } },
  'GET /api/templates': { kind: 'list', bad: { query: 'scope=everyone' } },
  'GET /api/templates/:templateId': { kind: 'owned', params: (ids) => ({ templateId: ids.template }) },
  'POST /api/templates': { kind: 'owned', body: (ids) => ({ ...template, fromAppId: ids.app }), bad: { body: { title: 'x' } } },
  'PATCH /api/templates/:templateId': { kind: 'owned', params: (ids) => ({ templateId: ids.template }), body: () => ({ title: 'Renamed by someone else' }), bad: { body: {} } },
  'DELETE /api/templates/:templateId': { kind: 'owned', params: (ids) => ({ templateId: ids.template }) },
  'POST /api/templates/:templateId/hide': { kind: 'owned', params: (ids) => ({ templateId: ids.template }) },
  'POST /api/templates/:templateId/unhide': { kind: 'owned', params: (ids) => ({ templateId: ids.template }) },
  'GET /api/admin/settings': { kind: 'admin' },
  'PUT /api/admin/apps/:appId/always-on': { kind: 'admin', params: (ids) => ({ appId: ids.app }), body: () => ({ alwaysOn: true }), bad: { body: { alwaysOn: 'yes' } } },
  'PUT /api/admin/settings': { kind: 'admin', body: () => ({ allowSignups: true }), bad: { body: { allowedImports: ['not a module!'] } } },
  'GET /api/admin/users': { kind: 'admin', bad: { query: 'limit=9999' } },
  'POST /api/admin/users': { kind: 'admin', body: () => ({ username: 'made-by-b', email: 'b@example.com', password: 'longenough' }), bad: { body: { username: '' } } },
  'PATCH /api/admin/users/:userId': { kind: 'admin', params: (ids) => ({ userId: ids.user }), body: () => ({ isAdmin: true }), bad: { body: { isAdmin: 'yes' } } },
  'DELETE /api/admin/users/:userId': { kind: 'admin', params: (ids) => ({ userId: ids.user }) },
  'GET /api/admin/templates': { kind: 'admin' },
  'POST /api/admin/templates': { kind: 'admin', body: () => ({ ...template, files }), bad: { body: { title: '' } } },
  'PATCH /api/admin/templates/:templateId': { kind: 'admin', params: (ids) => ({ templateId: ids.template }), body: () => ({ hidden: true }), bad: { body: { hidden: 'no' } } },
  'DELETE /api/admin/templates/:templateId': { kind: 'admin', params: (ids) => ({ templateId: ids.template }) },
  'GET /api/admin/stats': { kind: 'admin' },
  'GET /api/databases': { kind: 'list' },
  'POST /api/databases': { kind: 'self', bad: { body: { name: '' } } },
  'GET /api/databases/:databaseId': { kind: 'owned', params: (ids) => ({ databaseId: ids.database }) },
  'DELETE /api/databases/:databaseId': { kind: 'owned', params: (ids) => ({ databaseId: ids.database }), query: 'confirm=extra', bad: { query: 'confirm=' + 'x'.repeat(300) } },
  'POST /api/databases/:databaseId/credentials': { kind: 'owned', params: (ids) => ({ databaseId: ids.database }) },
  'POST /api/databases/:databaseId/rotate': { kind: 'owned', params: (ids) => ({ databaseId: ids.database }) },
  'PUT /api/apps/:appId/database': { kind: 'owned', params: (ids) => ({ appId: ids.app }), body: (ids) => ({ mode: 'bound', databaseId: ids.database }), bad: { body: { mode: 'sometimes' } } },
  'GET /api/databases/:databaseId/collections': { kind: 'owned', params: (ids) => ({ databaseId: ids.database }) },
  'POST /api/databases/:databaseId/collections/:collection/query': { kind: 'owned', params: (ids) => ({ databaseId: ids.database, collection: 'notes' }), body: () => ({}), bad: { body: { pageSize: 0 } } },
  'GET /api/databases/:databaseId/cursors/:cursor': { kind: 'owned', params: (ids) => ({ databaseId: ids.database, cursor: 'c0ffee' }) },
  'POST /api/databases/:databaseId/collections/:collection/delete-document': { kind: 'owned', params: (ids) => ({ databaseId: ids.database, collection: 'notes' }), body: () => ({ id: '{"$oid": "64b7f0000000000000000000"}' }), bad: { body: { id: 5 } } },
  'DELETE /api/databases/:databaseId/collections/:collection': { kind: 'owned', params: (ids) => ({ databaseId: ids.database, collection: 'notes' }), query: 'confirm=notes', bad: { query: 'confirm=' + 'x'.repeat(300) } },
  'GET /api/databases/:databaseId/collections/:collection/export': { kind: 'owned', params: (ids) => ({ databaseId: ids.database, collection: 'notes' }) },
};

const key = (spec: RouteSpec) => `${spec.method.toUpperCase()} ${spec.path}`;

function fill(path: string, params: Record<string, string | number>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? `missing-${name}`)));
}

interface World {
  api: TestApi;
  admin: TestUser;
  a: TestUser;
  b: TestUser;
  ids: Ids;
}

async function world(t: ExecutionContext): Promise<World> {
  const api = await startApi(t);
  const admin = await signUp(api);
  t.true(admin.isAdmin);
  const a = await signUp(api);
  const b = await signUp(api);
  const app = await newApp(a, { name: 'Isolated', files });
  t.is((await a.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  await waitForPhase(a, app.id, 'running');
  const own = await a.client.post('/api/templates', { ...template, files });
  t.is(own.status, 201, JSON.stringify(own.body));
  const token = await a.client.post('/api/auth/tokens', { name: 'ci' });
  const sessions = await a.client.get('/api/auth/sessions');
  const database = await a.client.post('/api/databases', { name: 'extra' });
  t.is(database.status, 201, JSON.stringify(database.body));
  return { api, admin, a, b, ids: { app: app.id, template: own.body.id, token: token.body.id, session: sessions.body.sessions[0].id, user: a.id, database: database.body.id } };
}

test('every route in the router has a row in this table, and every row a route', async (t) => {
  const api = await startApi(t);
  const routes = api.app.routes.map(key).sort();
  t.deepEqual(routes.filter((r) => !(r in table)), [], 'routes without an isolation row');
  t.deepEqual(Object.keys(table).filter((r) => !routes.includes(r)), [], 'rows without a route');
  t.deepEqual(api.app.routes.map((r) => r.name).sort(), Object.keys(contractRoutes).sort(), 'every route of the contract has exactly one handler');
});

test('fails when unauthenticated: every non-public route answers 401 in the error shape', async (t) => {
  const { api, ids } = await world(t);
  const anonymous = new Client(api);
  for (const spec of api.app.routes) {
    const row = table[key(spec)];
    if (!row || row.kind === 'public') continue;
    const body = spec.method === 'get' ? undefined : row.body?.(ids) ?? {};
    const res = await anonymous.call(spec.method.toUpperCase(), fill(spec.path, row.params?.(ids) ?? {}) + (row.query ? `?${row.query}` : ''), body);
    t.is(res.status, 401, key(spec));
    t.is(res.body?.error?.code, 'unauthenticated', key(spec));
  }
});

test("fails when a second user uses the first user's ids: 404, never their data", async (t) => {
  const { api, a, b, ids } = await world(t);
  for (const spec of api.app.routes) {
    const row = table[key(spec)];
    // Signing the second user out would end the rest of this walk; logout is its own test's subject.
    if (!row || key(spec) === 'POST /api/auth/logout') continue;
    const path = fill(spec.path, row.params?.(ids) ?? {}) + (row.query ? `?${row.query}` : '');
    const res = await b.client.call(spec.method.toUpperCase(), path, row.body?.(ids) ?? (spec.body ? {} : undefined));
    const text = JSON.stringify(res.body ?? '');
    if (row.kind === 'owned') {
      t.is(res.status, 404, `${key(spec)} → ${res.status} ${text.slice(0, 200)}`);
      t.is(res.body?.error?.code, 'not_found', key(spec));
    } else if (row.kind === 'admin') {
      t.is(res.status, 403, key(spec));
    } else if (row.kind === 'list') {
      t.is(res.status, 200, key(spec));
    }
    for (const id of Object.values(ids)) if (row.kind !== 'admin') t.false(text.includes(id) && id !== ids.user, `${key(spec)} leaked ${id}`);
  }
  // The first user's objects are untouched.
  t.is((await a.client.get(`/api/apps/${ids.app}`)).status, 200);
  t.is((await a.client.get(`/api/templates/${ids.template}`)).body.title, 'Isolation probe');
  t.true((await a.client.get('/api/auth/tokens')).body.tokens.some((tok: { id: string }) => tok.id === ids.token));
});

test('fails when the input is invalid: 400 with the error shape, naming the bad field', async (t) => {
  const { api, admin, a, ids } = await world(t);
  let checked = 0;
  for (const spec of api.app.routes) {
    const row = table[key(spec)];
    if (!row?.bad) continue;
    const caller = row.kind === 'admin' ? admin.client : row.kind === 'public' ? new Client(api) : a.client;
    const path = fill(spec.path, row.params?.(ids) ?? {}) + (row.bad.query ? `?${row.bad.query}` : '');
    const res = await caller.call(spec.method.toUpperCase(), path, row.bad.body ?? (spec.body ? row.body?.(ids) : undefined));
    t.is(res.status, 400, `${key(spec)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    t.is(res.body?.error?.code, 'invalid_input', key(spec));
    t.true(typeof res.body?.error?.message === 'string' && res.body.error.message.length > 0, key(spec));
    checked += 1;
  }
  t.true(checked >= 25, `checked ${checked} routes`);
});

test('fails when an id is malformed: 404, not 500', async (t) => {
  const { api, a } = await world(t);
  const malformed: Ids = { app: "x'; db.dropDatabase() //", template: '../../etc', token: '{"$ne":1}', session: '%00', user: 'ZZ', database: '{"$gt":""}' };
  for (const spec of api.app.routes) {
    const row = table[key(spec)];
    if (!row?.params || row.kind === 'admin') continue;
    const res = await a.client.call(spec.method.toUpperCase(), fill(spec.path, row.params(malformed)) + (row.query ? `?${row.query}` : ''), row.body?.(malformed) ?? (spec.body ? {} : undefined));
    t.true([400, 404].includes(res.status), `${key(spec)} → ${res.status}`);
    t.true(res.status < 500, key(spec));
  }
});
