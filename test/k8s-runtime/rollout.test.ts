/**
 * The Kubernetes runtime through the HTTP API, against the bed's apiserver and controllers, with the
 * tests acting as scheduler and kubelet: a deploy applies the app's objects and the controllers make
 * the Deployment's ReplicaSet and pod; progress follows the pod's real states; a redeploy is ready
 * only once the *new* pod is ready, with the old pod Ready throughout; each failure fixture surfaces
 * as its precise failure.
 */
import test, { type ExecutionContext } from 'ava';
import { labelKeys } from '../../constructs/index.js';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import { newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import { uniqueName } from '../helpers/bed.js';
import { finishDeletions, isReady, nextPod } from '../helpers/app-pods.js';
import { createEventFixture, podEventValues } from '../helpers/fake-events.js';
import { bindPod, podStatusFixture, registerNode, setPodStatus } from '../helpers/fake-node.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';

const files = (v: number) => ({ 'app.py': `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"v": ${v}}\n` });

interface Cluster {
  readonly api: TestApi<KubernetesRuntime>;
  readonly user: TestUser;
  readonly admin: KubeRest;
  readonly ns: string;
  readonly node: string;
}

async function cluster(t: ExecutionContext): Promise<Cluster> {
  const api = await startApi(t, { runtime: 'kubernetes' });
  const admin = KubeRest.admin();
  const node = uniqueName('node');
  await registerNode(admin, node);
  t.teardown(async () => { await admin.call('DELETE', `/api/v1/nodes/${node}`); });
  return { api, user: await signUp(api), admin, ns: api.namespaces?.appsNamespace ?? '', node };
}

async function status(c: Cluster, appId: string): Promise<any> {
  return (await c.user.client.get(`/api/apps/${appId}/status`)).body;
}

async function progressText(c: Cluster, appId: string): Promise<string> {
  return (await fetch(`${c.api.url}/api/apps/${appId}/progress`, { headers: c.user.client.authorization() })).text();
}

test('deploy applies the objects; progress follows the pod; a redeploy is ready only when the new pod is, the old one Ready throughout', async (t) => {
  const c = await cluster(t);
  const app = await newApp(c.user, { name: 'Rolling', files: files(1) });
  t.is((await c.user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  for (const path of [`/api/v1/namespaces/${c.ns}/configmaps/app-${app.id}-code`, `/api/v1/namespaces/${c.ns}/secrets/app-${app.id}-env`,
    `/apis/apps/v1/namespaces/${c.ns}/deployments/app-${app.id}`, `/api/v1/namespaces/${c.ns}/services/app-${app.id}`,
    `/apis/traefik.io/v1alpha1/namespaces/${c.ns}/ingressroutes/app-${app.id}`, `/apis/networking.k8s.io/v1/namespaces/${c.ns}/networkpolicies/app-${app.id}`]) {
    t.is((await c.admin.call('GET', path)).status, 200, path);
  }
  const replicaSets = await eventually('the ReplicaSet', async () => {
    const list = await c.admin.list(`/apis/apps/v1/namespaces/${c.ns}/replicasets`, `${labelKeys.appId}=${app.id}`);
    return list.length > 0 ? list : undefined;
  });
  t.is(replicaSets[0]?.metadata.annotations?.['fastapi-platform.io/version'], '1', 'the controller copied the version onto the ReplicaSet');

  const first = await nextPod(c.admin, c.ns, app.id);
  t.like(await status(c, app.id), { phase: 'deploying' });
  await bindPod(c.admin, c.ns, first.metadata.name, c.node);
  await setPodStatus(c.admin, c.ns, first.metadata.name, 'container-creating');
  await eventually('the container being created', async () => ((await status(c, app.id)).message === 'creating the container' ? true : undefined));
  await setPodStatus(c.admin, c.ns, first.metadata.name, 'running-not-ready');
  await eventually('starting', async () => ((await status(c, app.id)).message?.includes('starting') ? true : undefined));
  t.is((await c.user.client.get(`/api/apps/${app.id}`)).body.status.phase, 'deploying', 'not ready before the pod is');
  await setPodStatus(c.admin, c.ns, first.metadata.name, 'running-ready');
  await waitForPhase(c.user, app.id, 'running');
  t.like(await status(c, app.id), { phase: 'ready', servingVersion: 1, targetVersion: 1 });
  const phases = [...(await progressText(c, app.id)).matchAll(/"phase":"(\w+)"/g)].map((m) => m[1]);
  t.deepEqual(phases.filter((p, i) => p !== phases[i - 1]), ['validating', 'applying', 'scheduled', 'pulling', 'starting', 'ready'].filter((p) => phases.includes(p)));
  t.is(phases.at(-1), 'ready');

  // Version 2: a second ReplicaSet and pod; the first pod keeps serving until the second is ready.
  await c.user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: files(2) });
  t.is((await c.user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  const second = await nextPod(c.admin, c.ns, app.id, new Set([first.metadata.name]));
  await bindPod(c.admin, c.ns, second.metadata.name, c.node);
  await setPodStatus(c.admin, c.ns, second.metadata.name, 'running-not-ready');
  for (let i = 0; i < 10; i++) {
    const [now, recorded, old] = await Promise.all([
      status(c, app.id), c.user.client.get(`/api/apps/${app.id}`), c.admin.get(`/api/v1/namespaces/${c.ns}/pods/${first.metadata.name}`),
    ]);
    t.is(now.phase, 'deploying', 'the new version is not ready while only the old pod is');
    t.is(now.servingVersion, 1);
    t.is(recorded.body.status.phase, 'deploying');
    t.true(isReady(old), 'the old pod is Ready throughout');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await setPodStatus(c.admin, c.ns, second.metadata.name, 'running-ready');
  await waitForPhase(c.user, app.id, 'running');
  t.like(await status(c, app.id), { phase: 'ready', servingVersion: 2, targetVersion: 2 });
  // The controller scales the old ReplicaSet down; as the kubelet, finish the pod's deletion.
  await eventually('the old pod to be deleted', async () => ((await finishDeletions(c.admin, c.ns, app.id)).includes(first.metadata.name) ? true : undefined));
  const events = (await c.user.client.get(`/api/apps/${app.id}/events?limit=50`)).body.events;
  t.true(events.some((e: { reason: string }) => e.reason === 'ScalingReplicaSet'), 'the Deployment controller\'s events are the app\'s events');
});

const runnerLine = JSON.stringify({ fp: 'start-failed', type: 'KeyError', message: "'TOKEN'", file: 'app.py', line: 4, phase: 'import' });

const failures = [
  { fixture: 'crash-loop-backoff', bind: true, extra: { terminationMessage: runnerLine }, expect: { reason: 'crash-loop', message: "KeyError: 'TOKEN'", file: 'app.py', line: 4 } },
  { fixture: 'oom-killed', bind: true, extra: { terminationMessage: 'INFO:     Application startup complete.\n' }, expect: { reason: 'oom-killed', message: /OOMKilled.*256Mi|256Mi.*OOMKilled/, file: null, line: null } },
  { fixture: 'image-pull-backoff', bind: true, extra: {}, expect: { reason: 'image-pull', message: /ImagePullBackOff/, file: null, line: null } },
  { fixture: 'unschedulable', bind: false, extra: {}, expect: { reason: 'unschedulable', message: /Insufficient memory/, file: null, line: null } },
] as const;

for (const failure of failures) {
  test(`a pod in ${failure.fixture} fails the rollout as ${failure.expect.reason}, with what the cluster said`, async (t) => {
    const c = await cluster(t);
    const app = await newApp(c.user, { name: failure.fixture, files: files(1) });
    await c.user.client.post(`/api/apps/${app.id}/deploy`, {});
    const pod = await nextPod(c.admin, c.ns, app.id);
    if (failure.bind) await bindPod(c.admin, c.ns, pod.metadata.name, c.node);
    await setPodStatus(c.admin, c.ns, pod.metadata.name, failure.fixture, failure.extra);
    const failed = await waitForPhase(c.user, app.id, 'failed');
    const { expect } = failure;
    t.like(failed.status, { phase: 'failed', version: 1, file: expect.file, line: expect.line });
    if (typeof expect.message === 'string') t.is(failed.status.message, expect.message);
    else t.regex(failed.status.message, expect.message);
    const progress = await progressText(c, app.id);
    t.regex(progress, new RegExp(`"reason":"${expect.reason}"`));
    t.like(await status(c, app.id), { phase: 'failed', servingVersion: null });
  });
}

test('a pod the kubelet kills for failing its health probe fails the rollout as probe-failed, with the probe\'s own message', async (t) => {
  const c = await cluster(t);
  const app = await newApp(c.user, { name: 'slow', files: files(1) });
  await c.user.client.post(`/api/apps/${app.id}/deploy`, {});
  const created = await nextPod(c.admin, c.ns, app.id);
  await bindPod(c.admin, c.ns, created.metadata.name, c.node);
  const podPath = `/api/v1/namespaces/${c.ns}/pods/${created.metadata.name}`;
  const pod = await c.admin.get(podPath);
  await createEventFixture(c.admin, c.ns, 'unhealthy', { ...podEventValues(pod), podIP: '10.244.0.9' });
  // The startup probe's failures ran out: the kubelet killed the container (137) and backs off.
  const status = podStatusFixture('crash-loop-backoff', pod, { terminationMessage: 'INFO:     Waiting for application startup.\n' }) as any;
  status.containerStatuses[0].lastState.terminated.exitCode = 137;
  t.is((await c.admin.call('PATCH', `${podPath}/status`, { status }, 'application/merge-patch+json')).status, 200);
  const failed = await waitForPhase(c.user, app.id, 'failed');
  t.regex(failed.status.message, /never answered its health probe: Startup probe failed: Get "http:\/\/10\.244\.0\.9:8000\/_platform\/health"/);
  t.regex(await progressText(c, app.id), /"reason":"probe-failed"/);
});
