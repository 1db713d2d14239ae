/**
 * The Kubernetes runtime on the real node, through the HTTP API and Traefik: a deploy becomes a real
 * pod that answers at its host; a rolling update under a steady request loop fails no request (the old
 * pod drains: preStop, out of the endpoints, then SIGTERM); a broken version fails with the runner's
 * real termination message naming the right file, and the old pod keeps serving, also after its
 * container is killed and restarted (its code and env are immutable objects of its own version).
 */
import test from 'ava';
import { labelKeys } from '../../constructs/index.js';
import { newApp, signUp, waitForPhase } from '../helpers/api.js';
import { KubeRest, eventually, type KubeObject } from '../helpers/kube-rest.js';
import { killContainer, startNodeApi, untilServes, viaIngress } from '../helpers/node.js';

const files = (v: number) => ({ 'app.py': `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"v": ${v}}\n` });

interface PodStatus {
  containerStatuses?: { ready?: boolean; restartCount?: number; containerID?: string }[];
}

async function appPods(admin: KubeRest, ns: string, appId: string): Promise<KubeObject[]> {
  return (await admin.list(`/api/v1/namespaces/${ns}/pods`, `${labelKeys.appId}=${appId}`)).filter((p) => !p.metadata.deletionTimestamp);
}

test('a rolling update under a steady request loop through Traefik serves the new content and fails no request', async (t) => {
  const api = await startNodeApi(t);
  const ns = api.namespaces?.appsNamespace ?? '';
  const admin = KubeRest.admin();
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Rolling', files: files(1) });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  await waitForPhase(user, app.id, 'running', 90_000);
  await untilServes(app.id, /"v":1/);
  const [first] = await appPods(admin, ns, app.id);
  t.truthy(first, 'the app runs as a pod');
  // Progress came from the real pod: each phase once, in order, ending with ready.
  const progress = await (await fetch(`${api.url}/api/apps/${app.id}/progress`, { headers: user.client.authorization() })).text();
  const phases = [...progress.matchAll(/"phase":"(\w+)"/g)].map((m) => m[1]).filter((p, i, all) => p !== all[i - 1]);
  t.deepEqual(phases.filter((p) => !['scheduled', 'pulling'].includes(p ?? '')), ['validating', 'applying', 'starting', 'ready'], phases.join(' → '));
  t.true(phases.includes('scheduled') || phases.includes('pulling'), 'the kubelet\'s work before the container ran was reported');
  t.notRegex(progress, /"phase":"starting"[^}]*"message":"[^"]*the app is ready/, 'nothing says "ready" before ready');

  // About 20 requests a second, one at a time, for the whole rollout and until the old pod is gone.
  const outcomes: string[] = [];
  let looping = true;
  const loop = (async () => {
    while (looping) {
      const started = Date.now();
      try {
        const reply = await viaIngress(app.id, '/', { timeoutMs: 5000 });
        outcomes.push(reply.status === 200 ? (JSON.parse(reply.body) as { v: number }).v.toString() : `HTTP ${reply.status}: ${reply.body.slice(0, 100)}`);
      } catch (error) {
        outcomes.push(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 50 - (Date.now() - started))));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  t.is((await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: files(2) })).status, 200);
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  // Until the new pod is ready, the old one serves and the rollout is not done.
  t.like((await user.client.get(`/api/apps/${app.id}/status`)).body, { phase: 'deploying', servingVersion: 1, targetVersion: 2 });
  await waitForPhase(user, app.id, 'running', 90_000).catch(() => undefined);
  await eventually('the old pod to be gone', async () => ((await admin.call('GET', `/api/v1/namespaces/${ns}/pods/${first?.metadata.name}`)).status === 404 ? true : undefined), 90_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  looping = false;
  await loop;

  const failures = outcomes.filter((o) => o !== '1' && o !== '2');
  t.deepEqual(failures, [], `${failures.length} of ${outcomes.length} requests failed`);
  t.true(outcomes.length > 40, `the loop ran through the rollout (${outcomes.length} requests)`);
  t.is(outcomes[0], '1');
  t.is(outcomes.at(-1), '2', 'the new content serves at the end');
  t.like((await user.client.get(`/api/apps/${app.id}/status`)).body, { phase: 'ready', servingVersion: 2, targetVersion: 2 });
  const events = (await user.client.get(`/api/apps/${app.id}/events?limit=100`)).body.events as { reason: string }[];
  for (const reason of ['ScalingReplicaSet', 'Scheduled', 'Started', 'Killing']) t.true(events.some((e) => e.reason === reason), `the cluster's ${reason} event is among the app's events`);
});

test('a broken version fails from the real termination message with its file, and the old pod keeps serving after its container restarts', async (t) => {
  const api = await startNodeApi(t);
  const ns = api.namespaces?.appsNamespace ?? '';
  const admin = KubeRest.admin();
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Broken later', files: files(1) });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running', 90_000);
  await untilServes(app.id, /"v":1/);
  const [old] = await appPods(admin, ns, app.id);
  if (!old) throw new Error('no pod for version 1');

  const broken = { 'app.py': 'import os\nfrom fastapi import FastAPI\n\nTOKEN = os.environ["TOKEN"]\napp = FastAPI()\n' };
  await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: broken });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  const failed = await waitForPhase(user, app.id, 'failed', 90_000);
  t.like(failed.status, { phase: 'failed', version: 2, message: "KeyError: 'TOKEN'", file: 'app.py', line: 4 });
  t.like((await user.client.get(`/api/apps/${app.id}/status`)).body, { servingVersion: 1 });
  t.regex((await viaIngress(app.id)).body, /"v":1/, 'the old version still answers');

  // Each version mounts its own immutable code: the old pod never saw version 2's.
  const configMaps = await admin.list(`/api/v1/namespaces/${ns}/configmaps`, `${labelKeys.appId}=${app.id}`);
  t.is(configMaps.length, 2, 'both versions\' code objects exist while both ReplicaSets use them');
  t.true(configMaps.every((c) => c.immutable === true));

  // A crash of the old container: the kubelet restarts it, still with version 1's code and env.
  const before = (old.status as PodStatus).containerStatuses?.[0];
  await killContainer(before?.containerID ?? '');
  await eventually('the old container to restart and be Ready', async () => {
    const pod = await admin.get(`/api/v1/namespaces/${ns}/pods/${old.metadata.name}`);
    const status = (pod.status as PodStatus).containerStatuses?.[0];
    return (status?.restartCount ?? 0) > (before?.restartCount ?? 0) && status?.ready ? true : undefined;
  }, 60_000);
  await untilServes(app.id, /"v":1/, 30_000);
  const after = await viaIngress(app.id);
  t.is(after.status, 200);
  t.regex(after.body, /"v":1/, 'after its restart the old pod still serves version 1');
});
