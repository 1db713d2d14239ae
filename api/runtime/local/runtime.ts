/**
 * The local runtime (RUNTIME=local, `npm start`'s default): every deployed app is a supervised runner
 * process in a sandbox of its own (sandbox/: bubblewrap namespaces, a tenant's own UID when the
 * platform is root, cgroup limits), listening on a Unix socket behind the platform's own proxy at
 * `app-<id>.<APP_DOMAIN>:<port>`. ARCHITECTURE.md's threat model says what a tenant can and cannot reach.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Collection } from 'mongodb';
import type { RequestLogDoc } from '../../db/documents.js';
import { ConflictError } from '../../errors.js';
import { manifestsFor } from '../none.js';
import type { Runtime, RuntimeApp, RuntimeVersion } from '../types.js';
import { CodeStore } from './code-store.js';
import { PidFiles } from './pid-files.js';
import { AppProxy } from './proxy.js';
import { RequestRecorder } from './request-recorder.js';
import { RunnerLauncher } from './runner-launch.js';
import { describePlan, detectSandbox, TenantIds, type SandboxPlan, type SandboxSettings } from './sandbox/index.js';
import { AppSupervisor } from './supervisor.js';

export interface LocalRuntimeOptions {
  /** A CPython 3.11 with the runner's requirements (the venv scripts/setup.sh builds). */
  readonly python: string;
  /** The Node that runs TypeScript apps (the Node runner). @default this process's Node */
  readonly node?: string;
  /** Versions' files, scratch directories and the list of running processes. */
  readonly dataDir: string;
  readonly appDomain: string;
  /** Where people reach the platform; apps answer on the same scheme and port. */
  readonly publicUrl: string;
  readonly requestLogs: Collection<RequestLogDoc>;
  /**
   * A MongoDB server for apps' own data (never the platform's database or credentials): each owner's
   * apps get `PLATFORM_MONGO_URI` naming their own database on it. Unset: apps have no database.
   */
  readonly appsMongoUri?: string | undefined;
  readonly startTimeoutMs?: number;
  /** How runners are sandboxed (api/config.ts reads it); defaults: a sandbox with the pod's limits. */
  readonly sandbox?: Partial<SandboxSettings>;
  readonly log: (message: string) => void;
}

export interface LocalRuntime extends Runtime {
  readonly kind: 'local';
  readonly proxy: AppProxy;
  readonly dataDir: string;
  /** How runners are sandboxed on this machine. */
  readonly sandbox: SandboxPlan;
  /** The runner process ids of an app (serving and starting), for tests and diagnostics. */
  pids(appId: string): number[];
}

export const runnerDir = fileURLToPath(new URL('../../../runner', import.meta.url));
export const runnerPath = `${runnerDir}/entrypoint.py`;
/** The Node runner: its bundle and packages (scripts/setup.sh noderunner makes both). */
export const nodeRunnerDir = fileURLToPath(new URL('../../../runner-node', import.meta.url));
export const nodeRunnerPath = `${nodeRunnerDir}/dist/main.mjs`;

/** The pod's limits (constructs/user-app.ts) except CPU: a whole core, so a cold start is not throttled. */
export const defaultSandboxSettings = (dataDir: string): SandboxSettings => ({
  bwrap: 'bwrap',
  unsafeNoSandbox: false,
  uids: 'per-tenant',
  uidBase: 200_000,
  limits: { memoryBytes: 256 << 20, pids: 256, cpus: 1, tmpBytes: 64 << 20 },
  cgroupScope: createHash('sha256').update(dataDir).digest('hex').slice(0, 12),
});

/** The app's database on the apps' server: one per owner, as in the Kubernetes runtime's per-user databases. */
export function appDatabaseUri(serverUri: string, ownerId: string): string {
  const uri = new URL(serverUri);
  uri.pathname = `/u_${ownerId}`;
  return uri.toString();
}

export async function createLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  // Nothing of the platform's files is for other users to read: runners see them only through their sandbox.
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  RunnerLauncher.socketRoot(options.dataDir);
  const defaults = defaultSandboxSettings(options.dataDir);
  const settings: SandboxSettings = { ...defaults, ...options.sandbox, limits: { ...defaults.limits, ...options.sandbox?.limits } };
  const plan = await detectSandbox(options.python, settings);
  options.log(describePlan(plan));
  const pids = new PidFiles(options.dataDir, [runnerPath, nodeRunnerPath]);
  const reaped = (await pids.reapStale()) + (plan.kind === 'bwrap' && plan.cgroups ? await plan.cgroups.reapStale() : 0);
  if (reaped > 0) options.log(`ended ${reaped} runner process${reaped === 1 ? '' : 'es'} a previous platform left running`);
  const store = new CodeStore(options.dataDir);
  const launcher = new RunnerLauncher({
    plan, python: options.python, runnerDir, node: options.node ?? process.execPath, nodeRunnerDir, dataDir: options.dataDir, store,
    tenantIds: plan.kind === 'bwrap' && plan.uids === 'per-tenant' ? new TenantIds(options.dataDir, settings.uidBase + 1) : null,
  });
  const recorder = new RequestRecorder(options.requestLogs, options.log);
  const supervisors = new Map<string, AppSupervisor>();
  const base = new URL(options.publicUrl);
  const url = (appId: string) => `${base.protocol}//app-${appId}.${options.appDomain}${base.port ? `:${base.port}` : ''}`;
  const proxy = new AppProxy({
    appDomain: options.appDomain, protocol: base.protocol === 'https:' ? 'https' : 'http', recorder, url, waitMs: 15_000,
    supervisor: (appId) => supervisors.get(appId),
  });
  const deps = { launcher, store, pids, recorder, startTimeoutMs: options.startTimeoutMs ?? 60_000, log: options.log };

  const deploy = async (app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>): Promise<void> => {
    let supervisor = supervisors.get(app.id);
    if (!supervisor) {
      supervisor = new AppSupervisor(app, deps);
      supervisors.set(app.id, supervisor);
    }
    const database = options.appsMongoUri ? { PLATFORM_MONGO_URI: appDatabaseUri(options.appsMongoUri, app.ownerId) } : {};
    await supervisor.deploy(version, { ...env, ...database });
  };

  return {
    kind: 'local',
    proxy,
    dataDir: options.dataDir,
    sandbox: plan,
    deploy,
    async ensure(desired) {
      // Something of the app already runs (deploys keep it current): nothing to converge locally.
      if (supervisors.has(desired.app.id)) return;
      const version = desired.phase === 'failed' ? desired.servingVersion : desired.version;
      if (version) await deploy(desired.app, version, desired.env);
    },
    async appIds() {
      return [...supervisors.keys()];
    },
    async remove(appId) {
      const supervisor = supervisors.get(appId);
      supervisors.delete(appId);
      await supervisor?.stop({ keepFiles: false });
      if (!supervisor) await store.removeApp(appId);
      await recorder.forget(appId);
    },
    async status(appId) {
      return supervisors.get(appId)?.status(url(appId)) ?? { phase: 'absent', servingVersion: null, targetVersion: null, url: url(appId), message: null };
    },
    async *progress(appId, signal) {
      const supervisor = supervisors.get(appId);
      if (supervisor) yield* supervisor.progressEvents(signal);
    },
    async events(appId, limit) {
      return supervisors.get(appId)?.events(limit) ?? [];
    },
    async *logs(appId, query) {
      const supervisor = supervisors.get(appId);
      if (supervisor) yield* supervisor.logs.read(query);
    },
    manifests: (app, version, env) => manifestsFor(app, version, env, { appDomain: options.appDomain }),
    async request(appId, test) {
      const answer = await proxy.send(appId, test);
      if ('code' in answer) throw new ConflictError(answer.message, { details: { code: answer.code } });
      return answer;
    },
    url,
    pids(appId) {
      return supervisors.get(appId)?.pids() ?? [];
    },
    async close() {
      await Promise.all([...supervisors.values()].map((s) => s.stop({ keepFiles: true })));
      supervisors.clear();
      await recorder.close();
      proxy.close();
      if (plan.kind === 'bwrap') await plan.cgroups?.close();
    },
  };
}
