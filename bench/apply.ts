/**
 * bench/apply: how long it takes to turn one app into cluster state, against the bed's real
 * kube-apiserver. Prints median and p99 over RUNS (default 200) for:
 *   - synth: UserApp props → objects, in process
 *   - ours: synth + server-side apply of the 6 objects as the platform's RBAC-bound identity
 *   - ours + prune: the same plus listing the app's 6 kinds to prune leftovers (a full deploy step)
 *   - client-node floor: bare KubernetesObjectApi.patch (SSA) of the same objects, no synth, no prune
 *   - kubectl: `kubectl apply --server-side -f` of the same objects (mostly process start)
 * Every iteration changes one file, so each apply really changes the ConfigMap and Deployment, and
 * the variants run round-robin so background load hits them alike.
 *
 *   npm run bench:apply            (RUNS=500 npm run bench:apply for more)
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { synthUserApp, type UserAppChartProps } from '../constructs/index.js';
import { applyObjects, applyUserApp, connectKube } from '../api/k8s/index.js';
import { startBed } from '../test/bed/index.js';
import { platformNamespaces } from '../test/helpers/platform-identity.js';
import { sampleApp } from '../test/helpers/sample-app.js';
import { kubeconfigYaml } from '../test/bed/kubeconfig.js';
import { printTable, summarize } from './stats.js';

const run = promisify(execFile);
const runs = Number(process.env.RUNS ?? 200);

const bed = await startBed(['kube']);
Object.assign(process.env, bed.env);
if (bed.env.FP_BED_KUBE_ERROR) throw new Error(bed.env.FP_BED_KUBE_ERROR);
const cleanups: (() => Promise<void> | void)[] = [];
try {
  const ns = await platformNamespaces({ teardown: (fn) => cleanups.push(fn) }, 'bench');
  const server = bed.env.FP_BED_KUBE_SERVER ?? '';
  const caFile = bed.env.FP_BED_KUBE_CA ?? '';
  const client = connectKube({ kind: 'token', server, token: ns.token, caFile });
  const kubeconfig = join(bed.env.FP_BED_DIR ?? '', 'bench-platform.kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml({ server, caFile, user: 'platform', token: ns.token }));
  const bare = new k8s.KubeConfig();
  bare.loadFromFile(kubeconfig);
  const bareApi = k8s.KubernetesObjectApi.makeApiClient(bare);
  const kubectl = join(bed.env.FP_BED_KUBECTL ?? '');

  const props = (appId: string, i: number): UserAppChartProps =>
    sampleApp({ appId, namespace: ns.appsNamespace, files: { ...sampleApp().files, 'pkg/mod.py': `VALUE = ${i}\n` } });

  const samples: Record<string, number[]> = { synth: [], ours: [], 'ours + prune': [], 'client-node floor': [], kubectl: [] };
  const variants: [string, (i: number) => Promise<void>][] = [
    ['synth', async (i) => { synthUserApp(props('synth', i)); }],
    ['ours', async (i) => { await applyObjects(client, synthUserApp(props('ours', i)).objects); }],
    ['ours + prune', async (i) => { await applyUserApp(client, ns.appsNamespace, 'ourspr', synthUserApp(props('ourspr', i)).objects); }],
    ['client-node floor', async (i) => {
      for (const object of prepared.get(`floor:${i}`) ?? []) {
        await bareApi.patch(object, undefined, undefined, 'bench-floor', true, k8s.PatchStrategy.ServerSideApply);
      }
    }],
    ['kubectl', async (i) => {
      await run(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--force-conflicts', '--field-manager=bench-kubectl', '-f', join(bed.env.FP_BED_DIR ?? '', `kubectl-${i}.yaml`)]);
    }],
  ];
  // Objects for the floor and the kubectl file are synthesized outside the timed region.
  const prepared = new Map<string, k8s.KubernetesObject[]>();
  const prepare = async (i: number) => {
    prepared.set(`floor:${i}`, synthUserApp(props('floor', i)).objects);
    await writeFile(join(bed.env.FP_BED_DIR ?? '', `kubectl-${i}.yaml`), synthUserApp(props('kctl', i)).objects.map((o) => stringify(o)).join('---\n'));
  };

  for (let i = -5; i < runs; i++) {
    await prepare(i);
    const k = ((i % variants.length) + variants.length) % variants.length;
    const order = [...variants.slice(k), ...variants.slice(0, k)];
    for (const [name, fn] of order) {
      const begin = performance.now();
      await fn(i);
      const elapsed = performance.now() - begin;
      if (i >= 0) samples[name]?.push(elapsed); // the first 5 rounds warm up JIT, discovery and connections
    }
    prepared.delete(`floor:${i}`);
  }

  console.log(`bench/apply: ${runs} runs per variant, kube-apiserver ${process.env.FP_BED_KUBE_SERVER} (bed), ${(await import('node:os')).cpus().length} cores`);
  printTable('synth of one app (6 objects), in process', [['synth', summarize(samples.synth ?? [])]]);
  printTable('apply of one changed app (6 objects) against the real apiserver', [
    ['client-node floor', summarize(samples['client-node floor'] ?? [])],
    ['ours', summarize(samples.ours ?? [])],
    ['ours + prune', summarize(samples['ours + prune'] ?? [])],
    ['kubectl', summarize(samples.kubectl ?? [])],
  ], 'client-node floor');
} finally {
  for (const fn of cleanups.reverse()) await fn();
  await bed.stop();
}
