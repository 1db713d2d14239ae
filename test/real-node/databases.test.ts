/**
 * Databases per tenant on the real node (the `ferretdb` provider on Kubernetes): each tenant's apps
 * get PLATFORM_MONGO_URI of a FerretDB pod of that tenant's own, made on first need, and read and
 * write it by its Service's DNS name. Another tenant's app cannot even connect to that server (its
 * NetworkPolicy, and the app's own egress), while the owner's app can; another tenant's credentials
 * open nothing on it. The explorer works through the API. Deleting the user removes the server. A
 * server that cannot start fails the deploy with the cluster's reason, quickly, never a hang. An idle
 * tenant's server sleeps at zero replicas once its apps sleep, and wakes with a request to its app
 * (through the gateway, under the gateway's own Role) or with the explorer, its data kept on its volume.
 */
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { labelKeys, tenantDatabaseHost, tenantDatabaseName, tenantDatabaseUid } from '../../constructs/index.js';
import { newApp, signUp, untilAsleep, waitForPhase, withAdmin, type TestUser } from '../helpers/api.js';
import { KubeRest, eventually, type KubeObject } from '../helpers/kube-rest.js';
import { adminApply } from '../helpers/kubectl.js';
import { nodeBed, startNodeApi, untilServes, viaIngress } from '../helpers/node.js';

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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ServerDeployment { spec?: { replicas?: number }; metadata: { managedFields?: { manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }[] } }

/**
 * A volume for the tenant's server: the bed has no storage provisioner, so a statically provisioned
 * hostPath PersistentVolume, bound in advance to the claim the tenant's server makes.
 */
async function staticVolume(t: { teardown(fn: () => Promise<void>): void }, admin: KubeRest, ns: string, ownerId: string, storageClassName: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-tenant-db-'));
  await chown(dir, tenantDatabaseUid, tenantDatabaseUid);
  const name = `${storageClassName}-${tenantDatabaseName(ownerId)}`;
  await adminApply([{
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
    spec: {
      capacity: { storage: '64Mi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName,
      hostPath: { path: dir, type: 'Directory' }, claimRef: { namespace: ns, name: tenantDatabaseName(ownerId) },
    },
  }]);
  t.teardown(async () => {
    await admin.call('DELETE', `/api/v1/persistentvolumes/${name}`);
    await rm(dir, { recursive: true, force: true });
  });
}


test('an idle tenant\'s database server sleeps at zero replicas with its apps; a request to the app wakes both and finds its data; the explorer wakes it; another tenant\'s server is untouched', async (t) => {
  const admin = KubeRest.admin();
  const storageClassName = `fp-static-${Date.now().toString(36)}`;
  const api = await startNodeApi(t, {
    gatewayHoldMs: 90_000, tenantDatabases: { image: nodeBed().ferretdbImage, storage: { kind: 'volume', storageClassName, sizeMebibytes: 64 } },
  }, { DATABASE_IDLE_SECONDS: '3' });
  const ns = api.namespaces?.appsNamespace ?? '';
  const [alice, bob] = [await signUp(api), await signUp(api)];
  await staticVolume(t, admin, ns, alice.id, storageClassName);
  await staticVolume(t, admin, ns, bob.id, storageClassName);
  const a = await newApp(alice, { name: 'Sleepy notes', files: notesApp });
  const b = await newApp(bob, { name: 'Awake notes', files: notesApp });
  const deploys = await Promise.all([alice.client.post(`/api/apps/${a.id}/deploy`, {}), bob.client.post(`/api/apps/${b.id}/deploy`, {})]);
  for (const deploy of deploys) t.is(deploy.status, 202, JSON.stringify(deploy.body));
  await Promise.all([waitForPhase(alice, a.id, 'running', 180_000), waitForPhase(bob, b.id, 'running', 180_000)]);
  await Promise.all([untilServes(a.id, /"database":"d_/), untilServes(b.id, /"database":"d_/)]);
  t.like(await json(a.id, '/notes/before-sleep', 'POST'), { count: 1 });
  t.like(await json(b.id, '/notes/beta', 'POST'), { count: 1 });
  const bobPod = await serverPod(admin, ns, bob.id);

  const server = (owner: string) => admin.get<ServerDeployment>(`/apis/apps/v1/namespaces/${ns}/deployments/${tenantDatabaseName(owner)}`);
  const serverPods = async (owner: string) => (await admin.list(`/api/v1/namespaces/${ns}/pods`, `${labelKeys.name}=tenant-database,${labelKeys.owner}=${owner}`)).length;
  const untilServerSleeps = async (what: string) => {
    const started = Date.now();
    await eventually(`Alice's server to sleep ${what}`, async () => ((await server(alice.id)).spec?.replicas === 0 ? true : undefined), 30_000);
    await eventually(`Alice's server's pod to be gone ${what}`, async () => ((await serverPods(alice.id)) === 0 ? true : undefined), 60_000);
    return (Date.now() - started) / 1000;
  };

  // Alice's only app sleeps: after the idle time (3 s here) her server sleeps too, at zero replicas.
  await untilAsleep(api, alice, a.id);
  t.true((await server(alice.id)).spec?.replicas !== 0, 'the server outlives the app by the idle time');
  t.log(`Alice's server slept ${await untilServerSleeps('after her app')} s after her app`);
  const owners = ((await server(alice.id)).metadata.managedFields ?? [])
    .filter((f) => f.fieldsV1?.['f:spec'] && 'f:replicas' in (f.fieldsV1['f:spec'] ?? {})).map((f) => f.manager);
  t.deepEqual(owners, ['fastapi-platform-sleep'], 'only the sleep\'s field manager owns the server\'s replica count; apply never sets it');
  const list = await alice.client.get('/api/databases');
  t.is(list.status, 200, JSON.stringify(list.body));
  t.is(list.body.databases[0].sizeBytes, null, 'listing her databases does not wake the server (no size while it sleeps)');
  await api.services.deploys.reconcile();
  await pause(2000);
  t.is((await server(alice.id)).spec?.replicas, 0, 'reconcile leaves a sleeping tenant\'s server asleep');

  // A request to her app, through Traefik and the gateway (under the gateway's own Role), wakes the app
  // and her server, and the app reads what it wrote before.
  const woken = await viaIngress(a.id, '/notes', { timeoutMs: 120_000 });
  t.is(woken.status, 200, woken.body.slice(0, 300));
  t.deepEqual(JSON.parse(woken.body).texts, ['before-sleep'], 'the data outlived the server\'s sleep on its volume');
  t.is((await server(alice.id)).spec?.replicas, 1);
  t.like(await json(a.id, '/notes/after-wake', 'POST'), { count: 2 });

  // The app sleeps again, and the server after it; then the explorer alone wakes it.
  await untilAsleep(api, alice, a.id);
  await untilServerSleeps('a second time');
  const [database] = list.body.databases;
  const collections = await alice.client.get(`/api/databases/${database.id}/collections`);
  t.is(collections.status, 200, JSON.stringify(collections.body));
  t.like(collections.body.collections.find((c: { name: string }) => c.name === 'notes'), { name: 'notes', count: 2 });
  t.is((await server(alice.id)).spec?.replicas, 1, 'the explorer woke the server');
  t.is((await alice.client.get(`/api/apps/${a.id}/sleep`)).body.state, 'sleeping', 'and not the app');
  // Its use ended: it sleeps again after the idle time.
  await untilServerSleeps('after the explorer');

  // Bob's app stayed awake throughout: his server never moved, and his data is there.
  const bobNow = await serverPod(admin, ns, bob.id);
  t.is(bobNow.metadata.uid, bobPod.metadata.uid, 'Bob\'s server is the same pod as before');
  t.is((await server(bob.id)).spec?.replicas, 1);
  t.deepEqual((await json(b.id, '/notes')).texts, ['beta']);
});
