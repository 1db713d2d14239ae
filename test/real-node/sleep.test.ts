/**
 * The gateway on the real node: Traefik sends apps' hosts to it (the chart's wiring, with the gateway
 * beside the API), it records every request with the version that answered and a failed request's
 * traceback, handed over by the runner in a header it strips; an idle app goes to zero replicas, and
 * the next requests wake it through the scale subresource, once, all answered. Reconcile and a new
 * apply leave the sleeping app's replica count alone (server-side apply does not own it).
 */
import test from 'ava';
import { labelKeys } from '../../constructs/index.js';
import { newApp, signUp, untilAsleep, waitForPhase, type TestApi } from '../helpers/api.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';
import { startNodeApi, untilServes, viaIngress } from '../helpers/node.js';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';

const files = {
  'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"awake": True}\n\n\n@app.get("/boom")\ndef boom():\n    return {"value": 1 / 0}\n',
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Deployment { spec?: { replicas?: number }; metadata: { managedFields?: { manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }[] } }

async function replicasOf(admin: KubeRest, api: TestApi<KubernetesRuntime>, appId: string): Promise<Deployment> {
  return admin.get<Deployment>(`/apis/apps/v1/namespaces/${api.namespaces?.appsNamespace}/deployments/app-${appId}`);
}


test('through the gateway on the real node: records with version and traceback, an idle app at zero replicas, and 20 concurrent requests that wake it once', async (t) => {
  const admin = KubeRest.admin();
  const api = await startNodeApi(t, { gatewayHoldMs: 90_000 });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Sleeper', files });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  await waitForPhase(user, app.id, 'running', 120_000);
  await untilServes(app.id, /"awake":true/);

  const failed = await viaIngress(app.id, '/boom?secret=query');
  t.is(failed.status, 500);
  t.false(Object.keys(failed.headers).some((h) => h === 'x-platform-error'), 'the traceback header never reaches the client');
  t.notRegex(failed.body, /ZeroDivisionError/, 'nor does the traceback');
  await api.gateway?.traffic.flush();
  const records = (await user.client.get(`/api/apps/${app.id}/requests`)).body.requests as { path: string; status: number; version: number; coldStart: boolean; error: { type: string; traceback: string; file: string | null; line: number | null } | null }[];
  const boom = records.find((r) => r.path === '/boom');
  t.truthy(boom, JSON.stringify(records));
  t.like(boom, { status: 500, version: 1, error: { type: 'ZeroDivisionError', line: 13 } });
  t.regex(boom?.error?.file ?? '', /app\.py$/);
  t.regex(boom?.error?.traceback ?? '', /1 \/ 0/);
  t.is(records.find((r) => r.path === '/')?.error ?? null, null, 'only a failed request has a traceback');
  t.false(records.some((r) => r.path.includes('?')), 'paths are recorded without the query');

  await untilAsleep(api, user, app.id);
  t.is((await replicasOf(admin, api, app.id)).spec?.replicas, 0);
  await eventually('the app\'s pods to be gone', async () => ((await admin.list(`/api/v1/namespaces/${api.namespaces?.appsNamespace}/pods`, `${labelKeys.appId}=${app.id}`)).length === 0 ? true : undefined), 60_000);
  await waitForPhase(user, app.id, 'sleeping', 30_000).catch(() => {});
  t.is((await user.client.get(`/api/apps/${app.id}/sleep`)).body.state, 'sleeping');

  // Reconcile re-applies every app: a sleeping one stays at zero.
  await api.services.deploys.reconcile();
  await pause(2000);
  t.is((await replicasOf(admin, api, app.id)).spec?.replicas, 0, 'reconcile does not wake it');

  const replies = await Promise.all(Array.from({ length: 20 }, () => viaIngress(app.id, '/', { timeoutMs: 120_000 })));
  t.deepEqual(replies.map((r) => r.status), Array(20).fill(200), replies.filter((r) => r.status !== 200).map((r) => r.body.slice(0, 200)).join('\n'));
  const deployment = await replicasOf(admin, api, app.id);
  t.is(deployment.spec?.replicas, 1);
  const owners = (deployment.metadata.managedFields ?? []).filter((f) => f.fieldsV1?.['f:spec'] && 'f:replicas' in (f.fieldsV1['f:spec'] ?? {})).map((f) => f.manager);
  t.deepEqual(owners, ['fastapi-platform-sleep'], 'only the sleep\'s field manager owns the replica count');
  const sleep = (await user.client.get(`/api/apps/${app.id}/sleep`)).body;
  t.is(sleep.state, 'awake');
  t.log(`woke in ${sleep.lastWakeMs} ms on the real node`);
  await api.gateway?.traffic.flush();
  const after = (await user.client.get(`/api/apps/${app.id}/requests?limit=100`)).body.requests as { coldStart: boolean }[];
  t.is(after.filter((r) => r.coldStart).length, 20, 'each request that waited for the wake is recorded as cold');
});
