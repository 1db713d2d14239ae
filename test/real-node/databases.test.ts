/**
 * Databases per tenant on the real node (the `ferretdb` provider on Kubernetes): each tenant's apps
 * get PLATFORM_MONGO_URI of a FerretDB pod of that tenant's own, made on first need, and read and
 * write it by its Service's DNS name. Another tenant's app cannot even connect to that server (its
 * NetworkPolicy, and the app's own egress), while the owner's app can; another tenant's credentials
 * open nothing on it. The explorer works through the API. Deleting the user removes the server. A
 * server that cannot start fails the deploy with the cluster's reason, quickly, never a hang.
 */
import test from 'ava';
import { MongoClient } from 'mongodb';
import { labelKeys, tenantDatabaseHost, tenantDatabaseName } from '../../constructs/index.js';
import { newApp, signUp, waitForPhase, withAdmin, type TestUser } from '../helpers/api.js';
import { KubeRest, eventually, type KubeObject } from '../helpers/kube-rest.js';
import { startNodeApi, untilServes, viaIngress } from '../helpers/node.js';

const notesApp = {
  'app.py': `import asyncio
import os

from fastapi import FastAPI
from pymongo import MongoClient

app = FastAPI()
client = MongoClient(os.environ["PLATFORM_MONGO_URI"], serverSelectionTimeoutMS=5000)


@app.get("/")
def index():
    return {"database": client.get_database().name}


@app.post("/notes/{text}")
def add(text: str):
    client.get_database().notes.insert_one({"text": text})
    return {"count": client.get_database().notes.count_documents({})}


@app.get("/notes")
def notes():
    return {"texts": [d["text"] for d in client.get_database().notes.find({}, {"_id": 0})]}


@app.get("/connect")
async def connect(host: str, port: int):
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 3)
        writer.close()
        return {"connected": True}
    except (OSError, asyncio.TimeoutError) as error:
        return {"connected": False, "error": type(error).__name__}
`,
};

const isReady = (pod: KubeObject) => ((pod.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function serverPod(admin: KubeRest, ns: string, ownerId: string): Promise<KubeObject> {
  return eventually(`the tenant database pod of ${ownerId}`, async () => (await admin.list(`/api/v1/namespaces/${ns}/pods`, `${labelKeys.name}=tenant-database,${labelKeys.owner}=${ownerId}`))
    .find((p) => !p.metadata.deletionTimestamp && isReady(p)), 60_000);
}

async function json(appId: string, path: string, method = 'GET'): Promise<any> {
  const reply = await viaIngress(appId, path, { method, timeoutMs: 15_000 });
  if (reply.status !== 200) throw new Error(`${method} ${path} of ${appId} → ${reply.status}: ${reply.body.slice(0, 300)}`);
  return JSON.parse(reply.body);
}

/** Connects with `uri` but to `address` (the host reaches ClusterIPs; the URI's DNS name is the cluster's). */
function clientAt(uri: string, address: string): MongoClient {
  return new MongoClient(uri.replace(/@[^/]+\//, `@${address}:27017/`), { serverSelectionTimeoutMS: 5000 });
}

async function credentials(user: TestUser): Promise<{ id: string; uri: string; dbName: string }> {
  const [db] = (await user.client.get('/api/databases')).body.databases;
  const creds = (await user.client.post(`/api/databases/${db.id}/credentials`)).body;
  return { id: db.id, uri: creds.uri, dbName: creds.dbName };
}

test('each tenant\'s apps use a server of that tenant\'s own; another tenant can neither connect to it nor use its credentials on it; the explorer reads it; deleting the user removes it', async (t) => {
  const api = await startNodeApi(t);
  const ns = api.namespaces?.appsNamespace ?? '';
  const admin = KubeRest.admin();
  const platformAdmin = await withAdmin(api);
  const [alice, bob] = [await signUp(api), await signUp(api)];
  const a = await newApp(alice, { name: 'Notes A', files: notesApp });
  const b = await newApp(bob, { name: 'Notes B', files: notesApp });
  const deploys = await Promise.all([alice.client.post(`/api/apps/${a.id}/deploy`, {}), bob.client.post(`/api/apps/${b.id}/deploy`, {})]);
  for (const deploy of deploys) t.is(deploy.status, 202, JSON.stringify(deploy.body));
  await Promise.all([waitForPhase(alice, a.id, 'running', 180_000), waitForPhase(bob, b.id, 'running', 180_000)]);
  await Promise.all([untilServes(a.id, /"database":"d_/), untilServes(b.id, /"database":"d_/)]);

  // Each app reads and writes its own database, on its own tenant's server.
  t.like(await json(a.id, '/notes/alpha', 'POST'), { count: 1 });
  t.like(await json(a.id, '/notes/again', 'POST'), { count: 2 });
  t.like(await json(b.id, '/notes/beta', 'POST'), { count: 1 });
  t.deepEqual((await json(a.id, '/notes')).texts, ['alpha', 'again']);
  t.deepEqual((await json(b.id, '/notes')).texts, ['beta']);
  const [aliceDb, bobDb] = [await credentials(alice), await credentials(bob)];
  t.true(aliceDb.uri.includes(`@${tenantDatabaseHost(alice.id, ns)}:27017/${aliceDb.dbName}?authSource=${aliceDb.dbName}`), aliceDb.uri.replace(/:[^:@]+@/, ':***@'));
  const [aliceServer, bobServer] = [await serverPod(admin, ns, alice.id), await serverPod(admin, ns, bob.id)];
  t.not(aliceServer.metadata.name, bobServer.metadata.name);
  const container = (aliceServer.spec as { containers: { securityContext: Record<string, unknown> }[] }).containers[0]?.securityContext;
  t.like(container, { runAsNonRoot: true, runAsUser: 10002, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }, 'restricted, non-root');
  const aliceService = await admin.get(`/api/v1/namespaces/${ns}/services/${tenantDatabaseName(alice.id)}`);
  const aliceIp = (aliceService.spec as { clusterIP: string }).clusterIP;
  const alicePodIp = (aliceServer.status as { podIP: string }).podIP;

  // The network: Alice's app reaches her server; Bob's app reaches neither her Service (by name or
  // address) nor her pod. kube-router applies a policy ~1.5 s after it sees it: wait for a refusal, never for an opening.
  const targets: [string, string][] = [['her Service by DNS', tenantDatabaseHost(alice.id, ns)], ['her Service\'s ClusterIP', aliceIp], ['her server\'s pod', alicePodIp]];
  for (const [what, host] of targets) {
    t.like(await json(a.id, `/connect?host=${host}&port=27017`), { connected: true }, `Alice's own app reaches ${what}`);
    const refused = await eventually(`Bob's app to be refused ${what}`, async () => {
      const answer = await json(b.id, `/connect?host=${host}&port=27017`);
      return answer.connected === false ? answer : undefined;
    }, 20_000).catch(() => null);
    t.truthy(refused, `Bob's app must not connect to Alice's database server (${what}, ${host})`);
  }

  // Credentials: Bob's user does not exist on Alice's server; Alice's own work (from the host, which the node admits).
  const bobOnAlice = clientAt(bobDb.uri, aliceIp);
  t.teardown(() => bobOnAlice.close());
  await t.throwsAsync(bobOnAlice.db(bobDb.dbName).command({ listCollections: 1 }), undefined, 'Bob\'s credentials open nothing on Alice\'s server');
  await t.throwsAsync(bobOnAlice.db(aliceDb.dbName).collection('notes').findOne({}), undefined, 'nor her database');
  const aliceOwn = clientAt(aliceDb.uri, aliceIp);
  t.teardown(() => aliceOwn.close());
  t.is(await aliceOwn.db(aliceDb.dbName).collection('notes').countDocuments({}), 2);

  // The explorer, through the API, connected to her server as her database's own user.
  const collections = await alice.client.get(`/api/databases/${aliceDb.id}/collections`);
  t.is(collections.status, 200, JSON.stringify(collections.body));
  t.like(collections.body.collections.find((c: { name: string }) => c.name === 'notes'), { name: 'notes', count: 2 });
  const query = await alice.client.post(`/api/databases/${aliceDb.id}/collections/notes/query`, { filter: '{"text": "alpha"}', projection: '{"_id": 0}' });
  t.is(query.status, 200, JSON.stringify(query.body));
  t.deepEqual(query.body.documents, [{ text: 'alpha' }]);
  t.is((await bob.client.get(`/api/databases/${aliceDb.id}/collections`)).status, 404, 'another tenant\'s database id is not found');
  const listed = (await alice.client.get('/api/databases')).body.databases;
  t.like(listed[0], { provider: 'ferretdb', isDefault: true });
  t.true(typeof listed[0].sizeBytes === 'number', `its size is read from the server: ${JSON.stringify(listed[0])}`);

  // Deleting the user removes her apps, her databases and her server (every object of it).
  t.is((await platformAdmin.client.delete(`/api/admin/users/${alice.id}`)).status, 204);
  const selector = `${labelKeys.name}=tenant-database,${labelKeys.owner}=${alice.id}`;
  for (const path of ['/apis/apps/v1/namespaces/NS/deployments', '/api/v1/namespaces/NS/services', '/api/v1/namespaces/NS/secrets', '/apis/networking.k8s.io/v1/namespaces/NS/networkpolicies']) {
    await eventually(`${path} of Alice's server to be gone`, async () => ((await admin.list(path.replace('NS', ns), selector)).length === 0 ? true : undefined), 30_000);
  }
  t.truthy(await serverPod(admin, ns, bob.id), 'Bob\'s server is untouched');
  t.deepEqual((await json(b.id, '/notes')).texts, ['beta']);
});

test('a tenant database that cannot start fails the deploy quickly with the cluster\'s reason, and the app\'s status says it', async (t) => {
  const api = await startNodeApi(t, { tenantDatabases: { image: 'fastapi-platform.local/ferretdb:not-there', startMs: 90_000 } });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Needs a database', files: notesApp });
  const started = Date.now();
  const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  const seconds = (Date.now() - started) / 1000;
  t.is(deploy.status, 503, JSON.stringify(deploy.body));
  t.regex(deploy.body.error.message, /database server cannot start: (ErrImagePull|ImagePullBackOff)/);
  t.true(seconds < 60, `the cluster's reason arrives before the start window ends (${seconds} s)`);
  const status = (await user.client.get(`/api/apps/${app.id}`)).body.status;
  t.is(status.phase, 'failed');
  t.regex(status.message ?? '', /database server cannot start/);
  // The user's other calls do not hang on it either.
  const list = await user.client.get('/api/databases');
  t.not(list.status, 500, JSON.stringify(list.body));
});
