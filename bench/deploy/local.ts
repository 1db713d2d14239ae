/**
 * bench/deploy, local runtime: from the API's deploy call to the first 200 through the platform's
 * proxy for the hello FastAPI template — a first deploy (a new app; the proxy holds the request until
 * the app is ready) and a redeploy of an edited app (polled every 5 ms until the new content answers;
 * the old version serves meanwhile) — on a sandboxed platform (the default) and, side by side in the
 * same loop, on one with UNSAFE_NO_SANDBOX; beside the floor, the runner's bare cold start (spawn → first
 * 200 on /_platform/health), and the runner's cold start through the local runtime's launcher with and
 * without its sandbox (the sandbox's own cost).
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppTemplate } from '../../templates/index.js';
import { CodeStore } from '../../api/runtime/local/code-store.js';
import { RunnerInstance } from '../../api/runtime/local/instance.js';
import { RunnerLauncher } from '../../api/runtime/local/runner-launch.js';
import { defaultSandboxSettings, nodeRunnerDir, runnerDir } from '../../api/runtime/local/runtime.js';
import { describePlan, detectSandbox, TenantIds } from '../../api/runtime/local/sandbox/index.js';
import { appRequest, newApp, signUp, startApi, type TestApi, type TestUser } from '../../test/helpers/api.js';
import { venvPython } from '../../test/helpers/bed.js';
import { startRunner, waitHealthy, writeProject } from '../../test/helpers/runner.js';
import { printTable, summarize, type Summary } from '../stats.js';
import type { BenchContext } from './context.js';

type Launchers = { sandboxed: RunnerLauncher; unsandboxed: RunnerLauncher; codeDir: string };

async function launchers(context: BenchContext, hello: AppTemplate): Promise<Launchers> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fp-bench-launch-'));
  context.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const codeDir = join(dataDir, 'code');
  await mkdir(codeDir);
  await writeProject(codeDir, hello.spec.files);
  const make = async (unsafeNoSandbox: boolean) => {
    const settings = { ...defaultSandboxSettings(dataDir), unsafeNoSandbox };
    const plan = await detectSandbox(venvPython(), settings);
    if (!unsafeNoSandbox) console.log(describePlan(plan));
    return new RunnerLauncher({ plan, python: venvPython(), runnerDir, node: process.execPath, nodeRunnerDir, dataDir, store: new CodeStore(dataDir), tenantIds: new TenantIds(dataDir, settings.uidBase + 1) });
  };
  return { sandboxed: await make(false), unsandboxed: await make(true), codeDir };
}

/** Spawn → healthy probe for one runner started by the local runtime's launcher. */
async function launchedColdStart(launcher: RunnerLauncher, codeDir: string): Promise<number> {
  const begin = performance.now();
  const runner = await RunnerInstance.start(launcher, { appId: 'benchapp00', ownerId: 'bench', version: 1, codeDir, entrypoint: 'app.py', env: {} }, { onLine: () => {}, onEvent: () => {} });
  await runner.waitHealthy(30_000);
  const elapsed = performance.now() - begin;
  await runner.stop(5000);
  return elapsed;
}

async function firstDeploy(api: TestApi, user: TestUser, name: string): Promise<number> {
  const app = await newApp(user, { name, templateId: 'builtin-hello-fastapi' });
  const begin = performance.now();
  const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  if (deploy.status !== 202) throw new Error(`deploy → ${deploy.status}: ${JSON.stringify(deploy.body)}`);
  const first = await appRequest(api, app.id, '/');
  if (first.status !== 200) throw new Error(`first request → ${first.status}: ${first.body}`);
  const elapsed = performance.now() - begin;
  await user.client.delete(`/api/apps/${app.id}`);
  return elapsed;
}

/** Returns the first deploy's figures, which the Kubernetes section places beside its own. */
export async function benchLocal(context: BenchContext, hello: AppTemplate, runs: number): Promise<Summary> {
  const api = await startApi(context, { runtime: 'local' });
  const bare = await startApi(context, { runtime: 'local', env: { UNSAFE_NO_SANDBOX: '1' } });
  const user = await signUp(api);
  const bareUser = await signUp(bare);
  const launch = await launchers(context, hello);
  const samples = { floor: [] as number[], sandboxedStart: [] as number[], bareStart: [] as number[], bareFirst: [] as number[], first: [] as number[], redeploy: [] as number[] };
  const edited = await newApp(user, { name: 'edited', templateId: 'builtin-hello-fastapi' });
  let revision = 1;
  for (let i = -2; i < runs; i++) {
    const runnerTeardowns: (() => Promise<void>)[] = [];
    const runner = await startRunner({ teardown: (fn) => runnerTeardowns.push(fn) }, { files: hello.spec.files, waitHealthy: false });
    await waitHealthy(runner, 30_000, 5);
    if (i >= 0) samples.floor.push(performance.now() - runner.spawnedAt);
    for (const fn of runnerTeardowns) await fn();

    // The sandbox's own cost, alternating which goes first so neither always runs on a warmer cache.
    const pair = i % 2 === 0 ? ['bareStart', 'sandboxedStart'] as const : ['sandboxedStart', 'bareStart'] as const;
    for (const which of pair) {
      const elapsed = await launchedColdStart(which === 'bareStart' ? launch.unsandboxed : launch.sandboxed, launch.codeDir);
      if (i >= 0) samples[which].push(elapsed);
    }

    const bareElapsed = await firstDeploy(bare, bareUser, `bare ${i}`);
    if (i >= 0) samples.bareFirst.push(bareElapsed);
    const elapsed = await firstDeploy(api, user, `first ${i}`);
    if (i >= 0) samples.first.push(elapsed);

    const marker = `edit ${i}`;
    const files = { ...hello.spec.files, 'app.py': (hello.spec.files['app.py'] ?? '').replace('Hello from FastAPI!', marker) };
    const saved = await user.client.put(`/api/apps/${edited.id}/draft`, { revision, files });
    if (saved.status !== 200) throw new Error(`save → ${saved.status}: ${JSON.stringify(saved.body)}`);
    revision = saved.body.revision;
    const begin = performance.now();
    await user.client.post(`/api/apps/${edited.id}/deploy`, {});
    for (;;) {
      const reply = await appRequest(api, edited.id, '/');
      if (reply.status === 200 && reply.body.includes(marker)) break;
      if (reply.status !== 200 && i >= 0) throw new Error(`a request failed during the redeploy: ${reply.status} ${reply.body}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (i >= 0) samples.redeploy.push(performance.now() - begin);
  }
  printTable('local runtime: the runner\'s cold start (spawn → healthy probe) and the sandbox\'s cost (target: sandboxed ≤ 1.15× unsandboxed)', [
    ['floor: bare runner (test helper, TCP)', summarize(samples.floor)],
    ['launcher, UNSAFE_NO_SANDBOX (Unix socket)', summarize(samples.bareStart)],
    ['launcher, sandboxed (bwrap + limits)', summarize(samples.sandboxedStart)],
  ], 'launcher, UNSAFE_NO_SANDBOX (Unix socket)');
  printTable('local runtime: deploy call → first 200 through the proxy (target ≤ 1.5 s)', [
    ['first deploy, UNSAFE_NO_SANDBOX', summarize(samples.bareFirst)],
    ['first deploy (new app), sandboxed', summarize(samples.first)],
    ['redeploy (edited app, new content), sandboxed', summarize(samples.redeploy)],
  ], 'first deploy, UNSAFE_NO_SANDBOX');
  return summarize(samples.first);
}
