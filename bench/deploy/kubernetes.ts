/**
 * bench/deploy, Kubernetes runtime on the real node (test/bed/node): from the API's deploy call to the
 * first 200 through Traefik at the app's host for the hello FastAPI template, for a new app (a new
 * Deployment, pod, Service and route) and for a rolling update of an edited app (until the new content
 * answers; the old pod serves meanwhile). Beside them: the runner's bare cold start (the same process
 * with no cluster), the apply floor (synth + server-side apply + prune of one app's objects), the deploy
 * call alone, the in-process reaction to a watch event, and the Kubernetes pod-startup SLO as the
 * anchor (SIG Scalability: p99 ≤ 5 s for stateless pods, image already on the node).
 */
import { synthUserApp } from '../../constructs/index.js';
import { applyUserApp, connectKube } from '../../api/k8s/index.js';
import type { AppTemplate } from '../../templates/index.js';
import { newApp, signUp } from '../../test/helpers/api.js';
import { kubeBed } from '../../test/helpers/bed.js';
import { nodeBed, startNodeApi, viaIngress } from '../../test/helpers/node.js';
import { startRunner, waitHealthy } from '../../test/helpers/runner.js';
import { sampleApp } from '../../test/helpers/sample-app.js';
import { ms, printTable, summarize, type Summary } from '../stats.js';
import type { BenchContext } from './context.js';

/** Polls the app through Traefik every 10 ms until it answers 200 with `marker`; any other answer before is tolerated only before the first 200. */
async function firstServed(appId: string, marker: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const reply = await viaIngress(appId, '/', { timeoutMs: 5000 });
      if (reply.status === 200 && reply.body.includes(marker)) return performance.now();
      last = `${reply.status} ${reply.body.slice(0, 120)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`app ${appId} never served ${marker} (last: ${last})`);
}

export interface KubernetesReferences {
  /** The local runtime's deploy call → first 200 for a new app, when that section ran. */
  readonly localFirst?: Summary;
}

export async function benchKubernetes(context: BenchContext, hello: AppTemplate, runs: number, references: KubernetesReferences = {}): Promise<void> {
  const api = await startNodeApi(context);
  const ns = api.namespaces?.appsNamespace ?? '';
  const node = nodeBed();
  const bed = kubeBed();
  const client = connectKube({ kind: 'token', server: bed.server, token: api.namespaces?.token ?? '', caFile: bed.caFile });
  const user = await signUp(api);
  const samples = { runner: [] as number[], apply: [] as number[], call: [] as number[], first: [] as number[], rolling: [] as number[] };
  const reactions: number[] = [];
  const stopObserving = api.runtime.observeReactions((delay) => reactions.push(delay));
  const edited = await newApp(user, { name: 'bench rolling', templateId: 'builtin-hello-fastapi' });
  await user.client.post(`/api/apps/${edited.id}/deploy`, {});
  await firstServed(edited.id, 'Hello from FastAPI!');
  let revision = 1;
  for (let i = -3; i < runs; i++) {
    const keep = i >= 0;
    const runnerTeardowns: (() => Promise<void>)[] = [];
    const runner = await startRunner({ teardown: (fn) => runnerTeardowns.push(fn) }, { files: hello.spec.files, waitHealthy: false });
    await waitHealthy(runner, 30_000, 5);
    if (keep) samples.runner.push(performance.now() - runner.spawnedAt);
    for (const fn of runnerTeardowns) await fn();

    let begin = performance.now();
    await applyUserApp(client, ns, 'benchfloor', synthUserApp(sampleApp({ appId: 'benchfloor', namespace: ns, image: node.runnerImage, files: { ...sampleApp().files, 'run.py': `RUN = ${i}\n` } })).objects);
    if (keep) samples.apply.push(performance.now() - begin);

    const app = await newApp(user, { name: `first ${i}`, templateId: 'builtin-hello-fastapi' });
    begin = performance.now();
    const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
    if (deploy.status !== 202) throw new Error(`deploy → ${deploy.status}: ${JSON.stringify(deploy.body)}`);
    if (keep) samples.call.push(performance.now() - begin);
    const served = await firstServed(app.id, 'Hello from FastAPI!');
    if (keep) samples.first.push(served - begin);
    await user.client.delete(`/api/apps/${app.id}`);

    const marker = `edit ${i}`;
    const files = { ...hello.spec.files, 'app.py': (hello.spec.files['app.py'] ?? '').replace('Hello from FastAPI!', marker) };
    const saved = await user.client.put(`/api/apps/${edited.id}/draft`, { revision, files });
    if (saved.status !== 200) throw new Error(`save → ${saved.status}: ${JSON.stringify(saved.body)}`);
    revision = saved.body.revision;
    begin = performance.now();
    await user.client.post(`/api/apps/${edited.id}/deploy`, {});
    const rolled = await firstServed(edited.id, marker);
    if (keep) samples.rolling.push(rolled - begin);
  }
  stopObserving();

  const runner = summarize(samples.runner);
  printTable('kubernetes runtime, real node: deploy call → first 200 through Traefik, hello FastAPI (target p50 ≤ 1.5 s, p99 ≤ 2.5 s)', [
    ['floor: runner cold start (bare process)', runner],
    ...(references.localFirst ? [['local runtime: first deploy (new app)', references.localFirst] as [string, Summary]] : []),
    ['apply floor: synth + apply + prune alone', summarize(samples.apply)],
    ['deploy call alone (validate, publish, apply)', summarize(samples.call)],
    ['first deploy (new app) → first 200', summarize(samples.first)],
    ['rolling update (edited app) → new content', summarize(samples.rolling)],
    ['watch event → progress event (in process)', summarize(reactions)],
  ], 'floor: runner cold start (bare process)');
  const first = summarize(samples.first);
  const rolling = summarize(samples.rolling);
  console.log(`anchor: the Kubernetes pod-startup SLO (SIG Scalability, stateless pods) is p99 ≤ 5 s; first deploy p99 ${ms(first.p99)} = ${(first.p99 / 5000).toFixed(2)}× it, rolling update p99 ${ms(rolling.p99)} = ${(rolling.p99 / 5000).toFixed(2)}×`);
  console.log(`target: p50 ${ms(first.median)} ${first.median <= 1500 ? '≤' : '>'} 1.5 s, p99 ${ms(first.p99)} ${first.p99 <= 2500 ? '≤' : '>'} 2.5 s`);
}
