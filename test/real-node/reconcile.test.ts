/**
 * Reconciliation on the real node, with the API as its own process (api/main.ts, RUNTIME=kubernetes,
 * the platform's RBAC-bound identity through a kubeconfig, outside the cluster): killed outright
 * between apply waves (a failpoint sends SIGKILL after the ConfigMap/Secret/Service wave, before the
 * Deployment), it finishes the rollout after a restart and follows it until the real pod is ready;
 * objects of an app it does not know are removed; an object deleted by hand comes back at the next
 * periodic reconcile; a deleted app leaves nothing behind, its pod included.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelKeys, synthUserApp, userAppKinds } from '../../constructs/index.js';
import { applyUserApp, connectKube } from '../../api/k8s/index.js';
import { freePort } from '../../scripts/lib/ports.js';
import { writeKubeconfig } from '../bed/kubeconfig.js';
import { newApp, signUp, waitForPhase } from '../helpers/api.js';
import { kubeBed, mongoUri, uniqueName, venvPython } from '../helpers/bed.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';
import { nodeBed, untilServes } from '../helpers/node.js';
import { platformNamespaces } from '../helpers/platform-identity.js';
import { startBedGateway } from '../helpers/bed-gateway.js';
import { startApiProcess, type ApiProcess } from '../helpers/api-process.js';
import { connectDatabase } from '../../api/db/database.js';
import { sampleApp } from '../helpers/sample-app.js';

/** Every object carrying the app's id, of the kinds the platform applies and the controllers create, as `Kind/name`. */
async function objectsOf(admin: KubeRest, ns: string, appId: string): Promise<string[]> {
  const kinds = [...userAppKinds, { apiVersion: 'apps/v1', kind: 'ReplicaSet', resource: 'replicasets' }, { apiVersion: 'v1', kind: 'Pod', resource: 'pods' }];
  const lists = await Promise.all(kinds.map(async (k) => {
    const items = await admin.list(`${k.apiVersion === 'v1' ? '/api/v1' : `/apis/${k.apiVersion}`}/namespaces/${ns}/${k.resource}`, `${labelKeys.appId}=${appId}`);
    return items.map((o) => `${k.kind}/${o.metadata.name}`);
  }));
  return lists.flat();
}

test('killed between apply waves, the API converges after a restart; unknown apps\' objects go; drift is undone; delete leaves nothing', async (t) => {
  const ns = await platformNamespaces(t, 'rec');
  const bed = kubeBed();
  const admin = KubeRest.admin();
  const node = nodeBed();
  const dir = await mkdtemp(join(tmpdir(), 'fp-reconcile-'));
  const kubeconfig = join(dir, 'platform.kubeconfig');
  await writeKubeconfig(kubeconfig, { server: bed.server, caFile: bed.caFile, user: 'platform', token: ns.token });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dbName = uniqueName('rec').replace(/-/g, '_');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url,
    MONGO_URI: mongoUri(), MONGO_DB: dbName, SECRET_KEY: randomBytes(32).toString('hex'), FP_PYTHON: venvPython(),
    RUNTIME: 'kubernetes', KUBECONFIG: kubeconfig, APPS_NAMESPACE: ns.appsNamespace, PLATFORM_NAMESPACE: ns.platformNamespace,
    APP_DOMAIN: 'apps.test', BASE_DOMAIN: 'platform.test', RECONCILE_SECONDS: '10',
    RUNNER_IMAGE: node.runnerImage, INGRESS_URL: node.ingressUrl,
  };
  // The API's routes send apps' hosts to the platform's gateway, which runs beside it, as the chart's does.
  const db = await connectDatabase(mongoUri(), dbName);
  const gateway = await startBedGateway({ db, namespaces: ns, address: node.address, appDomain: 'apps.test', replica: `gw-${dbName}`, log: (m) => t.log(`gateway: ${m}`) });
  let api: ApiProcess | undefined;
  t.teardown(async () => {
    api?.child.kill('SIGKILL');
    await gateway.close();
    await db.db.dropDatabase();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  api = await startApiProcess({ ...env, FP_FAILPOINTS: 'apply-after-wave-1' }, url);
  const user = await signUp({ url });
  const app = await newApp(user, { name: 'Crashy', files: { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"reconciled": True}\n' } });
  await user.client.post(`/api/apps/${app.id}/deploy`, {}).catch(() => undefined);
  t.is(await api.exited, 'SIGKILL', 'the failpoint killed the API mid-apply');
  const half = await objectsOf(admin, ns.appsNamespace, app.id);
  t.true(half.some((o) => o.startsWith(`ConfigMap/app-${app.id}-code-`)), `the first wave was applied: ${half.join(' ')}`);
  t.false(half.some((o) => o === `Deployment/app-${app.id}`), 'the Deployment was not');

  // Objects of an app the platform does not know (its record is gone), applied as the platform.
  const client = connectKube({ kind: 'token', server: bed.server, token: ns.token, caFile: bed.caFile });
  const stranger = 'zz' + randomBytes(4).toString('hex');
  await applyUserApp(client, ns.appsNamespace, stranger, synthUserApp(sampleApp({ namespace: ns.appsNamespace, appId: stranger, image: node.runnerImage })).objects);
  t.true((await objectsOf(admin, ns.appsNamespace, stranger)).length >= 6);

  api = await startApiProcess(env, url);
  // The API listens before its first reconcile ends (health says `starting` meanwhile).
  const restarted = api;
  await eventually('the first reconcile after the restart', async () => (/reconciled: 1 app ensured, 1 removed/.test(restarted.output()) ? true : undefined), 60_000)
    .catch(() => undefined);
  t.regex(api.output(), /reconciled: 1 app ensured, 1 removed/);
  // Its pod goes the way pods go: drained (preStop), then stopped.
  await eventually('the unknown app\'s objects and pod to be gone', async () => ((await objectsOf(admin, ns.appsNamespace, stranger)).length === 0 ? true : undefined), 60_000);
  t.true((await objectsOf(admin, ns.appsNamespace, app.id)).includes(`Deployment/app-${app.id}`), 'the rollout was finished');
  // The restarted API follows the rollout it finished to its outcome (on a real node the pod may already be up).
  t.true(['deploying', 'running'].includes((await user.client.get(`/api/apps/${app.id}`)).body.status.phase));
  await waitForPhase(user, app.id, 'running', 90_000);
  await untilServes(app.id, /"reconciled":true/);
  t.is((await user.client.get(`/api/apps/${app.id}/versions`)).body.versions.length, 1, 'nothing was published twice');

  // Drift: a Service deleted by hand is back at the next periodic reconcile.
  const service = `/api/v1/namespaces/${ns.appsNamespace}/services/app-${app.id}`;
  t.is((await admin.call('DELETE', service)).status, 200);
  await eventually('the Service to come back', async () => ((await admin.call('GET', service)).status === 200 ? true : undefined), 30_000);

  t.is((await user.client.delete(`/api/apps/${app.id}`)).status, 204);
  await eventually('every object of the deleted app to be gone, its pod included', async () => (
    (await objectsOf(admin, ns.appsNamespace, app.id)).length === 0 ? true : undefined), 60_000);
  api.child.kill('SIGTERM');
  t.is(await api.exited, 0);
});
