/**
 * bench/scale: the control plane with many apps on the Kubernetes runtime (issue 18), against the
 * bed's kube-apiserver (no node: the pass's cost is the API's and the apiserver's, not the pods'),
 * for each app count in APPS (default 1000,10000):
 *   - a reconcile pass with nothing changed: its time and its writes (target ≤ 10 s for 10,000, 0
 *     writes), side by side with the reference, a pass that applies every app (what every pass did
 *     before the applied-objects cache, and what the first pass after a start still does);
 *   - the API's RSS growth over its 0-app baseline (after a GC; target ≤ 100 MB at 10,000 apps), and
 *     its heap's (RSS keeps what the heap grew to during the full pass);
 *   - GET /api/apps?limit=25 for the owner of all of them: median and p99.
 * The apps are copies of one deployed through the API, written to the database; the first pass
 * applies their objects. Run: npm run bench:scale (APPS=1000 for a quick one).
 */
import { availableParallelism } from 'node:os';
import { startBed } from '../test/bed/index.js';
import { newAppId } from '../api/db/ids.js';
import { newApp, signUp, startApi } from '../test/helpers/api.js';
import type { KubernetesRuntime } from '../api/runtime/kubernetes/runtime.js';
import { benchContext } from './deploy/context.js';

const counts = (process.env.APPS ?? '1000,10000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const gc = (globalThis as { gc?: () => void }).gc;

function quantiles(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p99: at(0.99) };
}

const ms = (n: number) => `${Math.round(n)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function memory(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heap: heapUsed };
}

const bed = await startBed(['kube', 'mongo', 'python']);
Object.assign(process.env, bed.env);
console.log(`bench/scale: ${availableParallelism()} cores; apps ${counts.join(', ')}; the bed's kube-apiserver, no node${gc ? '' : ' (run with NODE_OPTIONS=--expose-gc for steadier RSS figures)'}`);
try {
  for (const count of counts) {
    const context = benchContext();
    try {
      const api = await startApi<'kubernetes'>(context, { runtime: 'kubernetes', env: { DATABASE_PROVIDER: 'none' } });
      const runtime: KubernetesRuntime = api.runtime;
      const user = await signUp(api);
      const model = await newApp(user, { name: 'Model', templateId: 'builtin-hello-fastapi' });
      await user.client.post(`/api/apps/${model.id}/deploy`, {});
      const { db } = api.services;
      const app = await db.apps.findOne({ _id: model.id });
      const version = await db.versions.findOne({ appId: model.id });
      const draft = await db.drafts.findOne({ appId: model.id });
      if (!app || !version || !draft) throw new Error('the model app was not stored');
      await api.services.deploys.reconcile();
      const baseline = await memory();

      // The copies, running as far as the records say; the first pass applies their objects.
      const made = Date.now();
      for (let done = 0; done < count - 1;) {
        const batch = Array.from({ length: Math.min(500, count - 1 - done) }, (_, i) => ({ id: newAppId(), name: `App ${done + i}` }));
        await db.versions.insertMany(batch.map((c) => ({ ...version, _id: `${c.id}:${version.number}`, appId: c.id })));
        await db.drafts.insertMany(batch.map((c) => ({ ...draft, _id: `${c.id}:${draft.revision}`, appId: c.id })));
        await db.apps.insertMany(batch.map((c) => ({ ...app, _id: c.id, name: c.name, nameKey: c.name.toLowerCase(), deploy: { ...app.deploy, phase: 'running' as const } })));
        done += batch.length;
      }
      const written = Date.now() - made;
      const timed = async () => {
        const applied = runtime.appliedCount();
        const started = performance.now();
        const result = await api.services.deploys.reconcile({ concurrency: 8 });
        if (result.problems.length > 0) throw new Error(`reconcile: ${result.problems.slice(0, 3).join('; ')}`);
        return { ms: performance.now() - started, writes: runtime.appliedCount() - applied, ensured: result.ensured };
      };
      const full = await timed();
      console.log(`\n${count} apps (records written in ${ms(written)})`);

      console.log(`  reference, a pass applying every app:  ${ms(full.ms)}, ${full.writes} objects applied (${full.ensured} apps)`);
      // The watches catch up with what the full pass applied; then passes with nothing changed.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const quiet = [];
      for (let i = 0; i < 3; i++) quiet.push(await timed());
      const q = quantiles(quiet.map((p) => p.ms));
      console.log(`  a pass with nothing changed (3 runs): median ${ms(q.median)}, p99 ${ms(q.p99)}, writes ${quiet.map((p) => p.writes).join('/')}; ratio to the reference ${(q.median / full.ms).toFixed(3)}× (target ≤ 10 s at 10,000, 0 writes)`);
      const now = await memory();
      console.log(`  RSS growth over the 0-app baseline: ${mb(now.rss - baseline.rss)} (baseline ${mb(baseline.rss)}; target ≤ 100 MB at 10,000); heap in use ${mb(now.heap - baseline.heap)} more`);

      const latencies: number[] = [];
      for (let i = 0; i < 300; i++) {
        const started = performance.now();
        const answer = await user.client.get('/api/apps?limit=25');
        if (answer.status !== 200) throw new Error(`list: ${answer.status}`);
        latencies.push(performance.now() - started);
      }
      const l = quantiles(latencies);
      console.log(`  GET /api/apps?limit=25 (one client, 300 requests): median ${l.median.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`);
    } finally {
      await context.close();
    }
  }
} finally {
  await bed.stop();
}
