/**
 * bench/deploy, Kubernetes runtime (the bed's apiserver and controllers; the bench acts as scheduler
 * and kubelet): the API's deploy call (validate, publish, synthesize, apply in waves, prune) until
 * it answers with every object applied, beside applying the same kind of objects alone (synth +
 * apply + prune, the bench/apply path), and how fast progress follows the cluster: from the watch
 * notification to the progress event it causes (in process), and from writing the new pod's Ready
 * status to the `ready` event on the progress stream (through the ReplicaSet controller and the watch).
 */
import { synthUserApp } from '../../constructs/index.js';
import { applyUserApp, connectKube } from '../../api/k8s/index.js';
import type { AppTemplate } from '../../templates/index.js';
import { newApp, signUp, startApi } from '../../test/helpers/api.js';
import { finishDeletions, nextPod } from '../../test/helpers/app-pods.js';
import { kubeBed, uniqueName } from '../../test/helpers/bed.js';
import { bindPod, registerNode, setPodStatus } from '../../test/helpers/fake-node.js';
import { KubeRest } from '../../test/helpers/kube-rest.js';
import { sampleApp } from '../../test/helpers/sample-app.js';
import { printTable, summarize } from '../stats.js';
import type { BenchContext } from './context.js';

/** Resolves with the time the progress stream delivers `ready`. */
async function readyArrives(url: string, headers: Record<string, string>): Promise<{ stream: Promise<number> }> {
  const res = await fetch(url, { headers });
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no progress stream');
  const decoder = new TextDecoder();
  return {
    stream: (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the progress stream ended without ready: ${text.slice(-300)}`);
        text += decoder.decode(value, { stream: true });
        if (text.includes('"phase":"ready"')) {
          const at = performance.now();
          await reader.cancel();
          return at;
        }
        if (text.includes('"phase":"failed"')) throw new Error(`the rollout failed: ${text.slice(-300)}`);
      }
    })(),
  };
}

export async function benchKubernetes(context: BenchContext, hello: AppTemplate, runs: number): Promise<void> {
  const api = await startApi(context, { runtime: 'kubernetes' });
  const ns = api.namespaces?.appsNamespace ?? '';
  const admin = KubeRest.admin();
  const node = uniqueName('bench-node');
  await registerNode(admin, node);
  context.teardown(async () => { await admin.call('DELETE', `/api/v1/nodes/${node}`); });
  const bed = kubeBed();
  const client = connectKube({ kind: 'token', server: bed.server, token: api.namespaces?.token ?? '', caFile: bed.caFile });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'bench', templateId: 'builtin-hello-fastapi' });
  const samples = { apply: [] as number[], deploy: [] as number[], readyToProgress: [] as number[] };
  const seen = new Set<string>();
  let revision = 1;
  const reactions: number[] = [];
  const stopObserving = api.runtime.observeReactions((ms) => reactions.push(ms));
  for (let i = -3; i < runs; i++) {
    const changed = { ...hello.spec.files, 'app.py': `${hello.spec.files['app.py'] ?? ''}\nRUN = ${i}\n` };
    let begin = performance.now();
    await applyUserApp(client, ns, 'benchfloor', synthUserApp(sampleApp({ appId: 'benchfloor', namespace: ns, files: { ...sampleApp().files, 'run.py': `RUN = ${i}\n` } })).objects);
    if (i >= 0) samples.apply.push(performance.now() - begin);

    const saved = await user.client.put(`/api/apps/${app.id}/draft`, { revision, files: changed });
    if (saved.status !== 200) throw new Error(`save → ${saved.status}: ${JSON.stringify(saved.body)}`);
    revision = saved.body.revision;
    begin = performance.now();
    const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
    if (deploy.status !== 202) throw new Error(`deploy → ${deploy.status}: ${JSON.stringify(deploy.body)}`);
    if (i >= 0) samples.deploy.push(performance.now() - begin);

    const pod = await nextPod(admin, ns, app.id, seen);
    seen.add(pod.metadata.name);
    await bindPod(admin, ns, pod.metadata.name, node);
    await setPodStatus(admin, ns, pod.metadata.name, 'running-not-ready');
    const ready = await readyArrives(`${api.url}/api/apps/${app.id}/progress`, user.client.authorization());
    begin = performance.now();
    await setPodStatus(admin, ns, pod.metadata.name, 'running-ready');
    const arrived = await ready.stream;
    if (i >= 0) samples.readyToProgress.push(arrived - begin);
    await finishDeletions(admin, ns, app.id);
  }
  stopObserving();
  printTable('kubernetes runtime: deploy call → every object applied (6 objects, bed apiserver)', [
    ['floor: synth + apply + prune alone', summarize(samples.apply)],
    ['deploy call (validate, publish, apply)', summarize(samples.deploy)],
  ], 'floor: synth + apply + prune alone');
  printTable('kubernetes runtime: progress following the cluster', [
    ['watch event → progress event (in process)', summarize(reactions)],
    ['pod Ready written → "ready" on the stream', summarize(samples.readyToProgress)],
  ]);
}
