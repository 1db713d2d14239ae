/**
 * The platform's own chart on the real node, installed by Helm from helm/fastapi-platform (generated
 * from the cdk8s chart) as a release (only the UI's workload is left out, by a post-renderer: the bed
 * builds no UI image), the API image built by the bed imported, the API
 * running in the cluster under its synthesized least-privilege identity, reached through Traefik at the
 * platform's host, deploying an app that then answers at its own host through the chart's gateway pods,
 * which record each request, and a database app whose tenant server it makes and whose data its
 * explorer reads from inside the cluster. Its Role is enough (everything above worked, and its log has
 * no refusal) and nothing more: verbs and kinds it was not given are refused; the gateway's reads no app's secrets.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from '../bed/paths.js';
import { kubeBed } from '../helpers/bed.js';
import { helm } from '../helpers/helm.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';
import { adminApply } from '../helpers/kubectl.js';
import { ctr, nodeBed, untilServes } from '../helpers/node.js';

const config = {
  namespace: 'fastapi-platform', appsNamespace: 'fastapi-apps', baseDomain: 'platform.test', appDomain: 'apps.test',
  ingress: { namespace: 'traefik', url: 'http://traefik.traefik.svc', port: 8000 }, database: { namespace: 'mongodb', port: 27017 },
  // The bed has no storage provisioner: tenants' database servers keep their files on an emptyDir.
  images: { ferretdb: nodeBed().ferretdbImage }, tenantDatabases: { storage: 'ephemeral' },
  // Two API replicas, as the chart's default: they elect their reconciler (test/k8s-runtime/leader.test.ts
  // tests the election itself), and a rolling restart of them fails no request.
  api: { replicas: 2 },
};

/** A Helm post-renderer that drops the UI's Deployment from the rendered stream (the bed has no UI image). */
const withoutUi = `#!/usr/bin/env node
let text = '';
process.stdin.on('data', (c) => { text += c; });
process.stdin.on('end', () => {
  const docs = text.split(/^---\\s*$/m).filter((d) => !/# Source: [^\\n]*\\/templates\\/deployment-ui\\.yaml/.test(d));
  process.stdout.write(docs.join('---\\n'));
});
`;

/** A request to the in-cluster API through Traefik at the platform's host. */
function platform(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const ingress = new URL(nodeBed().ingressUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: ingress.hostname, port: ingress.port || 80, path, method, agent: false, timeout: 30_000,
      headers: {
        host: config.baseDomain, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on('error', reject);
    req.end(payload);
  });
}

test('the platform chart runs the API in the cluster under its own RBAC: it deploys an app, and its Role allows nothing more', async (t) => {
  const node = nodeBed();
  const admin = KubeRest.admin();
  await ctr(['images', 'import', node.apiArchive]);

  const dir = await mkdtemp(join(tmpdir(), 'fp-chart-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'values.yaml'), stringify(config));
  await writeFile(join(dir, 'without-ui'), withoutUi);
  await chmod(join(dir, 'without-ui'), 0o755);
  const installed = await helm(['install', 'fastapi-platform', join(repoRoot, 'helm/fastapi-platform'), '--kubeconfig', kubeBed().adminKubeconfig,
    '--namespace', 'default', '-f', join(dir, 'values.yaml'), '--post-renderer', join(dir, 'without-ui')]);
  t.is(installed.code, 0, installed.stderr);
  t.regex(installed.stdout, /STATUS: deployed/);
  t.is((await admin.call('GET', `/apis/apps/v1/namespaces/${config.namespace}/deployments/ui`)).status, 404, 'only the UI workload is left out');
  t.is((await admin.call('GET', `/apis/apps/v1/namespaces/${config.namespace}/deployments/api`)).status, 200);
  await adminApply([{
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'platform-secrets', namespace: config.namespace },
    stringData: { MONGO_URI: `${node.appsMongoUri}fastapi_platform`, SECRET_KEY: randomBytes(32).toString('hex') },
  }]);
  await eventually('the in-cluster API to be available', async () => {
    const deployment = await admin.get<{ status?: { availableReplicas?: number } }>(`/apis/apps/v1/namespaces/${config.namespace}/deployments/api`);
    return (deployment.status?.availableReplicas ?? 0) >= 1 ? true : undefined;
  }, 180_000);
  await eventually('the API through Traefik', async () => ((await platform('GET', '/api/health')).status === 200 ? true : undefined), 60_000);
  await eventually('both gateway replicas to be available', async () => {
    const deployment = await admin.get<{ status?: { availableReplicas?: number } }>(`/apis/apps/v1/namespaces/${config.namespace}/deployments/gateway`);
    return (deployment.status?.availableReplicas ?? 0) >= 2 ? true : undefined;
  }, 120_000).catch(async (error: unknown) => {
    const pods = await admin.list(`/api/v1/namespaces/${config.namespace}/pods`, 'app.kubernetes.io/name=gateway');
    const logs = await Promise.all(pods.map(async (pod) => `${pod.metadata.name}: ${JSON.stringify((pod as { status?: unknown }).status).slice(0, 600)}\n${String((await admin.call<string>('GET', `/api/v1/namespaces/${config.namespace}/pods/${pod.metadata.name}/log`)).body).slice(-1500)}`));
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs.join('\n')}`);
  });

  const signup = await platform('POST', '/api/auth/signup', { username: 'chartadmin', email: 'chartadmin@example.com', password: 'pw-chart-secret-1' });
  t.is(signup.status, 201, JSON.stringify(signup.body));
  const login = await platform('POST', '/api/auth/login', { login: 'chartadmin', password: 'pw-chart-secret-1', mode: 'token' });
  const token = login.body.accessToken as string;
  // A database app: its tenant's server is made by the in-cluster API (its user created from the API's
  // pod), the app writes to it by DNS as it starts, and the explorer reads that from the API's pod: both
  // peers the server's NetworkPolicy admits. (Nothing here goes through the ingress.)
  const writer = { 'app.py': 'import os\n\nfrom fastapi import FastAPI\nfrom pymongo import MongoClient\n\n'
    + 'MongoClient(os.environ["PLATFORM_MONGO_URI"], serverSelectionTimeoutMS=10000).get_database().notes.insert_one({"title": "From the chart"})\n'
    + 'app = FastAPI()\n' };
  const notes = await platform('POST', '/api/apps', { name: 'Notes', files: writer }, token);
  t.is(notes.status, 201, JSON.stringify(notes.body));
  const notesDeploy = await platform('POST', `/api/apps/${notes.body.id}/deploy`, {}, token);
  t.is(notesDeploy.status, 202, JSON.stringify(notesDeploy.body));
  await eventually('the database app deployed by the in-cluster API to run', async () => {
    const status = (await platform('GET', `/api/apps/${notes.body.id}`, undefined, token)).body.status;
    if (status?.phase === 'failed') throw new Error(JSON.stringify(status));
    return status?.phase === 'running' ? true : undefined;
  }, 180_000);
  const [database] = (await platform('GET', '/api/databases', undefined, token)).body.databases;
  const found = await platform('POST', `/api/databases/${database.id}/collections/notes/query`, { filter: '{"title": "From the chart"}' }, token);
  t.is(found.status, 200, JSON.stringify(found.body).slice(0, 300));
  t.is(found.body.documents?.length, 1, 'the explorer, in the cluster, reads what the app wrote');

  const app = await platform('POST', '/api/apps', { name: 'From the chart', templateId: 'builtin-hello-fastapi' }, token);
  t.is(app.status, 201, JSON.stringify(app.body));
  t.is((await platform('POST', `/api/apps/${app.body.id}/deploy`, {}, token)).status, 202);
  await eventually('the app deployed by the in-cluster API to run', async () => {
    const status = (await platform('GET', `/api/apps/${app.body.id}`, undefined, token)).body.status;
    if (status?.phase === 'failed') throw new Error(JSON.stringify(status));
    return status?.phase === 'running' ? true : undefined;
  }, 120_000);
  await untilServes(app.body.id, /Hello from FastAPI!/);
  const panel = await platform('POST', `/api/apps/${app.body.id}/request`, { method: 'GET', path: '/hello/Ada', headers: {} }, token);
  t.like(panel.body, { status: 200 }, `the test panel, from inside the cluster through the ingress: ${JSON.stringify(panel.body).slice(0, 200)}`);

  // Every app request passed the gateway's pods (two replicas), which recorded it with the version that answered.
  const records = await eventually('the gateway\'s records to reach the API', async () => {
    const listed = (await platform('GET', `/api/apps/${app.body.id}/requests`, undefined, token)).body.requests as { path: string; status: number; version: number | null }[] | undefined;
    return listed?.some((r) => r.path === '/hello/Ada') ? listed : undefined;
  }, 30_000);
  t.like(records.find((r) => r.path === '/hello/Ada'), { status: 200, version: 1 });
  const gatewayPods = await admin.list(`/api/v1/namespaces/${config.namespace}/pods`, 'app.kubernetes.io/name=gateway');
  for (const pod of gatewayPods) {
    const gatewayLog = (await admin.call<string>('GET', `/api/v1/namespaces/${config.namespace}/pods/${pod.metadata.name}/log`)).body;
    t.notRegex(String(gatewayLog), /\bforbidden\b|\bForbidden\b|\b403\b/, 'the gateway\'s Role covered everything it did');
  }
  const gatewayToken = await admin.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${config.namespace}/serviceaccounts/platform-gateway/token`, { spec: { expirationSeconds: 600 } });
  const asGateway = admin.withToken(gatewayToken.body.status.token);
  for (const [what, path] of [['apps\' Secrets', 'secrets'], ['apps\' ConfigMaps (their code)', 'configmaps'], ['apps\' pods', 'pods']]) {
    t.is((await asGateway.call('GET', `/api/v1/namespaces/${config.appsNamespace}/${path}`)).status, 403, `the gateway cannot read ${what}`);
  }

  // Enough: nothing the API did was refused.
  const apiPods = await admin.list(`/api/v1/namespaces/${config.namespace}/pods`, 'app.kubernetes.io/name=api');
  for (const pod of apiPods) {
    const log = (await admin.call<string>('GET', `/api/v1/namespaces/${config.namespace}/pods/${pod.metadata.name}/log`)).body;
    t.notRegex(String(log), /\bforbidden\b|\bForbidden\b|\b403\b/, 'the API\'s Role covered everything it did');
  }
  // One of them reconciles, as the holder of the reconciler Lease, under its pod's name.
  const lease = await admin.get<{ spec?: { holderIdentity?: string } }>(`/apis/coordination.k8s.io/v1/namespaces/${config.namespace}/leases/fastapi-platform-reconciler`);
  t.true(apiPods.some((pod) => pod.metadata.name === lease.spec?.holderIdentity), `the Lease is held by an API pod: ${lease.spec?.holderIdentity}`);
  // Nothing more: its own token, from the TokenRequest API, is refused everything else.
  const issued = await admin.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${config.namespace}/serviceaccounts/platform-api/token`, { spec: { expirationSeconds: 600 } });
  const asApi = admin.withToken(issued.body.status.token);
  const apps = `/api/v1/namespaces/${config.appsNamespace}`;
  t.is((await asApi.call('GET', `${apps}/secrets`)).status, 200, 'listing its apps\' Secrets is granted (pruning)');
  const [secret] = await admin.list(`${apps}/secrets`, `fastapi-platform.io/app-id=${app.body.id}`);
  for (const [what, method, path, body] of [
    ['reading one Secret\'s values', 'GET', `${apps}/secrets/${secret?.metadata.name}`],
    ['creating a Pod directly', 'POST', `${apps}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: node.runnerImage }] } }],
    ['exec into an app pod', 'POST', `${apps}/pods/${(await admin.list(`${apps}/pods`))[0]?.metadata.name}/exec?command=id&stdout=true`],
    ['granting itself more (RoleBinding)', 'POST', `${apps}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [] }],
    ['anything in its own namespace', 'GET', `/api/v1/namespaces/${config.namespace}/secrets`],
    ['another Lease than its own', 'GET', `/apis/coordination.k8s.io/v1/namespaces/${config.namespace}/leases/someone-else`],
    ['deleting its Lease', 'DELETE', `/apis/coordination.k8s.io/v1/namespaces/${config.namespace}/leases/fastapi-platform-reconciler`],
    ['anything in another namespace', 'GET', '/api/v1/namespaces/mongodb/pods'],
    ['deleting a namespace', 'DELETE', `/api/v1/namespaces/${config.appsNamespace}`],
    ['reading nodes', 'GET', '/api/v1/nodes'],
  ] as [string, string, string, unknown?][]) {
    t.is((await asApi.call(method, path, body)).status, 403, `${what} is refused`);
  }

  // A rolling restart of the API under a request loop through the platform's front fails no request:
  // a new pod is ready before an old one stops, and a stopping one drains (health 503, still serving)
  // while it leaves the Service's endpoints.
  const deploymentPath = `/apis/apps/v1/namespaces/${config.namespace}/deployments/api`;
  const failures: string[] = [];
  let sent = 0;
  let looping = true;
  const loop = (async () => {
    while (looping) {
      sent += 1;
      try {
        const answer = await platform('GET', '/api/apps?limit=5', undefined, token);
        if (answer.status !== 200) failures.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  })();
  const restartedAt = Date.now();
  const patched = await admin.call('PATCH', deploymentPath, { spec: { template: { metadata: { annotations: { 'fastapi-platform.io/restarted-at': new Date().toISOString() } } } } }, 'application/merge-patch+json');
  t.is(patched.status, 200);
  await eventually('the rolling restart to finish, old pods gone', async () => {
    const deployment = await admin.get<{ metadata: { generation?: number }; status?: { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number } }>(deploymentPath);
    const status = deployment.status ?? {};
    if (status.observedGeneration !== deployment.metadata.generation || status.updatedReplicas !== 2 || status.availableReplicas !== 2 || status.replicas !== 2) return undefined;
    const pods = await admin.list(`/api/v1/namespaces/${config.namespace}/pods`, 'app.kubernetes.io/name=api');
    return pods.length === 2 && pods.every((pod) => !apiPods.some((old) => old.metadata.name === pod.metadata.name)) ? true : undefined;
  }, 300_000);
  looping = false;
  await loop;
  t.log(`rolling restart of the API: ${sent} requests in ${Date.now() - restartedAt} ms, ${failures.length} failed`);
  t.true(sent >= 20, `a steady loop (${sent} requests)`);
  t.deepEqual(failures, [], 'no request failed during the rolling restart');
});
