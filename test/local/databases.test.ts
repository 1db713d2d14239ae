/**
 * Databases per tenant on the local runtime, through apps: each tenant's databases live on a FerretDB
 * of its own, in its own sandbox, reached on a socket only its apps see. Tenant A's app writes a
 * document; tenant B's app, with its own PLATFORM_MONGO_URI, can list, read and write only its own
 * databases, never A's nor the platform's. Deleting a user removes their databases, credentials and
 * server.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appRequest, newApp, signUp, startApi, waitForPhase, withAdmin, type TestApi, type TestUser } from '../helpers/api.js';
import type { LocalRuntime } from '../../api/runtime/local/runtime.js';

const source = `import os
import pymongo
from fastapi import FastAPI, Request

app = FastAPI()
client = pymongo.MongoClient(os.environ["PLATFORM_MONGO_URI"], serverSelectionTimeoutMS=3000)
db = client.get_default_database()


def attempt(work):
    try:
        return {"ok": True, "value": work()}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


@app.post("/write")
def write(note: dict):
    db.notes.insert_one(dict(note))
    return {"count": db.notes.count_documents({})}


@app.get("/mine")
def mine():
    return {"db": db.name, "notes": [n["text"] for n in db.notes.find({}, {"_id": 0})]}


@app.post("/probe")
async def probe(request: Request):
    facts = await request.json()
    other = client[facts["otherDbName"]]
    return {
        "databases": attempt(lambda: client.list_database_names()),
        "read_other": attempt(lambda: [n.get("text") for n in other.notes.find({})]),
        "write_other": attempt(lambda: other.notes.insert_one({"text": "planted by B"}).acknowledged),
        "platform_users": attempt(lambda: client[facts["platformDb"]].users.count_documents({})),
        "other_socket": attempt(lambda: pymongo.MongoClient(facts["otherUri"], serverSelectionTimeoutMS=2000).admin.command("ping")),
    }
`;

async function deployed(user: TestUser): Promise<string> {
  const app = await newApp(user, { name: 'Notes', files: { 'app.py': source } });
  t_assert((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status === 202, 'deploy accepted');
  await waitForPhase(user, app.id, 'running', 120_000);
  return app.id;
}

function t_assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

async function post(api: TestApi, appId: string, path: string, body: unknown) {
  const reply = await appRequest(api, appId, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: reply.status, body: JSON.parse(reply.body) as Record<string, any> };
}

test('tenant B\'s app cannot list, read or write tenant A\'s database, nor the platform\'s; each app has everything on its own', async (t) => {
  const api = await startApi(t, { runtime: 'local' }) as TestApi<LocalRuntime>;
  await withAdmin(api);
  const a = await signUp(api);
  const b = await signUp(api);
  const [appA, appB] = await Promise.all([deployed(a), deployed(b)]);

  t.like((await post(api, appA, '/write', { text: 'A\'s secret note' })).body, { count: 1 });
  t.like((await post(api, appB, '/write', { text: 'B\'s own note' })).body, { count: 1 });
  const [dbA] = (await a.client.get('/api/databases')).body.databases;
  const [dbB] = (await b.client.get('/api/databases')).body.databases;
  t.not(dbA.id, dbB.id);

  const servers = api.runtime.tenantDatabases;
  if (!servers) return t.fail('the local runtime has no tenant database servers');
  const probe = await post(api, appB, '/probe', {
    otherDbName: dbA.dbName, platformDb: api.config.mongoDb,
    otherUri: `mongodb://${encodeURIComponent(join(servers.socketDirOf(a.id), 'db.sock'))}/`,
  });
  t.is(probe.status, 200, JSON.stringify(probe.body));
  const report = probe.body;
  // B's server holds B's databases only: A's is not there to list, read or write.
  t.true(report.databases.ok);
  t.false((report.databases.value as string[]).includes(dbA.dbName), `B lists ${report.databases.value}`);
  t.deepEqual(report.read_other, { ok: true, value: [] }, 'A\'s database name on B\'s server is an empty database, not A\'s');
  t.false(report.other_socket.ok, `B reached A's server: ${JSON.stringify(report.other_socket)}`);
  // (The platform's own server, on npm start a Unix socket apps never see, is tried in test/local/escapes.)
  t.is(report.platform_users.ok ? report.platform_users.value : 0, 0, 'no platform data on B\'s server');

  // A's data is exactly what A wrote.
  t.deepEqual((await appRequest(api, appA, '/mine')).body, JSON.stringify({ db: dbA.dbName, notes: ['A\'s secret note'] }));
  t.deepEqual(JSON.parse((await appRequest(api, appB, '/mine')).body), { db: dbB.dbName, notes: ['B\'s own note'] });
  // Through the explorer, each sees their own.
  const notesA = await a.client.post(`/api/databases/${dbA.id}/collections/notes/query`, {});
  t.deepEqual(notesA.body.documents.map((d: { text: string }) => d.text), ['A\'s secret note']);
});

test('deleting a user removes their databases, their credentials and their database server', async (t) => {
  const api = await startApi(t, { runtime: 'local' }) as TestApi<LocalRuntime>;
  const admin = await withAdmin(api);
  const user = await signUp(api);
  const appId = await deployed(user);
  await post(api, appId, '/write', { text: 'soon gone' });
  const servers = api.runtime.tenantDatabases;
  if (!servers) return t.fail('the local runtime has no tenant database servers');
  t.true(servers.isRunning(user.id));
  const dir = join(servers.socketDirOf(user.id), '..');
  t.true(existsSync(dir));
  t.is((await admin.client.delete(`/api/admin/users/${user.id}`)).status, 204);
  t.false(servers.isRunning(user.id));
  t.false(existsSync(dir), `the tenant's database files are gone: ${existsSync(dir) ? (await readdir(dir)).join(', ') : ''}`);
  t.is(await api.db.databases.countDocuments({ ownerId: user.id }), 0);
});

test('a tenant\'s database server runs while an app of theirs does, and stops when none does', async (t) => {
  const api = await startApi(t, { runtime: 'local', env: { DATABASE_IDLE_SECONDS: '1' } }) as TestApi<LocalRuntime>;
  const user = await signUp(api);
  const appId = await deployed(user);
  const servers = api.runtime.tenantDatabases;
  if (!servers) return t.fail('the local runtime has no tenant database servers');
  t.true(servers.isRunning(user.id));
  const rss = await servers.rssBytes(user.id);
  t.true(rss !== null && rss > 0);
  t.log(`idle RSS of one tenant's server: ${Math.round((rss ?? 0) / 2 ** 20)} MiB`);
  t.is((await user.client.delete(`/api/apps/${appId}`)).status, 204);
  for (let waited = 0; servers.isRunning(user.id) && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  t.false(servers.isRunning(user.id), 'stopped once nothing used it');
  // The explorer starts it again on demand.
  const [db] = (await user.client.get('/api/databases')).body.databases;
  t.is((await user.client.get(`/api/databases/${db.id}/collections`)).status, 200);
});
