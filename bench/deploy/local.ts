/**
 * bench/deploy, local runtime: from the API's deploy call to the first 200 through the platform's
 * proxy for the hello FastAPI template — a first deploy (a new app; the proxy holds the request until
 * the app is ready) and a redeploy of an edited app (polled every 5 ms until the new content answers;
 * the old version serves meanwhile) — beside the floor, the runner's bare cold start (spawn → first
 * 200 on /_platform/health), as bench/runner measures it.
 */
import type { AppTemplate } from '../../templates/index.js';
import { appRequest, newApp, signUp, startApi } from '../../test/helpers/api.js';
import { startRunner, waitHealthy } from '../../test/helpers/runner.js';
import { printTable, summarize, type Summary } from '../stats.js';
import type { BenchContext } from './context.js';

/** Returns the first deploy's figures, which the Kubernetes section places beside its own. */
export async function benchLocal(context: BenchContext, hello: AppTemplate, runs: number): Promise<Summary> {
  const api = await startApi(context, { runtime: 'local' });
  const user = await signUp(api);
  const samples = { floor: [] as number[], first: [] as number[], redeploy: [] as number[] };
  const edited = await newApp(user, { name: 'edited', templateId: 'builtin-hello-fastapi' });
  let revision = 1;
  for (let i = -2; i < runs; i++) {
    const runnerTeardowns: (() => Promise<void>)[] = [];
    const runner = await startRunner({ teardown: (fn) => runnerTeardowns.push(fn) }, { files: hello.spec.files, waitHealthy: false });
    await waitHealthy(runner, 30_000, 5);
    if (i >= 0) samples.floor.push(performance.now() - runner.spawnedAt);
    for (const fn of runnerTeardowns) await fn();

    const app = await newApp(user, { name: `first ${i}`, templateId: 'builtin-hello-fastapi' });
    let begin = performance.now();
    const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
    if (deploy.status !== 202) throw new Error(`deploy → ${deploy.status}: ${JSON.stringify(deploy.body)}`);
    const first = await appRequest(api, app.id, '/');
    if (first.status !== 200) throw new Error(`first request → ${first.status}: ${first.body}`);
    if (i >= 0) samples.first.push(performance.now() - begin);
    await user.client.delete(`/api/apps/${app.id}`);

    const marker = `edit ${i}`;
    const files = { ...hello.spec.files, 'app.py': (hello.spec.files['app.py'] ?? '').replace('Hello from FastAPI!', marker) };
    const saved = await user.client.put(`/api/apps/${edited.id}/draft`, { revision, files });
    if (saved.status !== 200) throw new Error(`save → ${saved.status}: ${JSON.stringify(saved.body)}`);
    revision = saved.body.revision;
    begin = performance.now();
    await user.client.post(`/api/apps/${edited.id}/deploy`, {});
    for (;;) {
      const reply = await appRequest(api, edited.id, '/');
      if (reply.status === 200 && reply.body.includes(marker)) break;
      if (reply.status !== 200 && i >= 0) throw new Error(`a request failed during the redeploy: ${reply.status} ${reply.body}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (i >= 0) samples.redeploy.push(performance.now() - begin);
  }
  printTable('local runtime: deploy call → first 200 through the proxy (target ≤ 1.5 s)', [
    ['floor: runner cold start', summarize(samples.floor)],
    ['first deploy (new app)', summarize(samples.first)],
    ['redeploy (edited app, new content)', summarize(samples.redeploy)],
  ], 'floor: runner cold start');
  return summarize(samples.first);
}
