/**
 * The local runtime (RUNTIME=local, `npm start`'s default): every deployed app is a supervised runner
 * process in a sandbox of its own (sandbox/: bubblewrap namespaces, a tenant's own UID when the
 * platform is root, cgroup limits), listening on a Unix socket behind the platform's own proxy at
 * `app-<id>.<APP_DOMAIN>:<port>`. ARCHITECTURE.md's threat model says what a tenant can and cannot reach.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { appUrl } from '../../../constructs/index.js';
import { ConflictError } from '../../errors.js';
import type { AppBackend, Gateway } from '../../gateway/index.js';
import { manifestsFor } from '../none.js';
import type { Runtime, RuntimeApp, RuntimeVersion } from '../types.js';
import { CodeStore } from './code-store.js';
import { PidFiles } from './pid-files.js';
import { localBackend } from './backend.js';
import { RunnerLauncher } from './runner-launch.js';
import { describePlan, detectSandbox, TenantIds, type SandboxPlan, type SandboxSettings } from './sandbox/index.js';
import { AppSupervisor } from './supervisor.js';
import { TenantServers } from './tenant-servers.js';

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
  /** FerretDB's binary, for each tenant's database server (runs in the tenant's sandbox). Unset: no tenant servers. */
  readonly ferretdb?: string | undefined;
  /** How long a tenant's database server runs with nothing using it. */
  readonly databaseIdleMs?: number;
  readonly startTimeoutMs?: number;
  /** How runners are sandboxed (api/config.ts reads it); defaults: a sandbox with the pod's limits. */
  readonly sandbox?: Partial<SandboxSettings>;
  readonly log: (message: string) => void;
}

export interface LocalRuntime extends Runtime {
  readonly kind: 'local';
  /** How the gateway reaches the apps: their runners' sockets. */
  readonly backend: AppBackend;
  /** The gateway in front of the apps (the test panel's requests go through it). */
  useGateway(gateway: Gateway): void;
  readonly dataDir: string;
  /** How runners are sandboxed on this machine. */
  readonly sandbox: SandboxPlan;
  /** Each tenant's database server (the `ferretdb` database provider's), when FerretDB is configured. */
  readonly tenantDatabases: TenantServers | null;
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
  const tenantIds = plan.kind === 'bwrap' && plan.uids === 'per-tenant' ? new TenantIds(options.dataDir, settings.uidBase + 1) : null;
  const tenantDatabases = options.ferretdb
    ? new TenantServers({ plan, ferretdb: options.ferretdb, dataDir: options.dataDir, tenantIds, idleMs: options.databaseIdleMs ?? 5 * 60_000, log: options.log })
    : null;
  const launcher = new RunnerLauncher({ plan, python: options.python, runnerDir, node: options.node ?? process.execPath, nodeRunnerDir, dataDir: options.dataDir, store, tenantIds, tenantDatabases });
  const supervisors = new Map<string, AppSupervisor>();
  const base = new URL(options.publicUrl);
  const url = (appId: string) => appUrl(appId, options.appDomain, { scheme: base.protocol === 'https:' ? 'https' : 'http', port: base.port });
  const deps = { launcher, store, pids, startTimeoutMs: options.startTimeoutMs ?? 60_000, log: options.log };
  let gateway: Gateway | null = null;
  const supervisorOf = (app: RuntimeApp): AppSupervisor => {
    let supervisor = supervisors.get(app.id);
    if (!supervisor) {
      supervisor = new AppSupervisor(app, deps);
      supervisors.set(app.id, supervisor);
    }
    return supervisor;
  };

  const deploy = async (app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>): Promise<void> => {
    await supervisorOf(app).deploy(version, env);
  };

  return {
    kind: 'local',
    backend: localBackend((appId) => supervisors.get(appId)),
    useGateway(next) {
      gateway = next;
    },
    dataDir: options.dataDir,
    sandbox: plan,
    tenantDatabases,
    deploy,
    async ensure(desired) {
      // Something of the app already runs (deploys keep it current): nothing to converge locally.
      if (supervisors.has(desired.app.id)) return;
      const version = desired.phase === 'failed' ? desired.servingVersion : desired.version;
      if (!version) return;
      // A sleeping app stays asleep: its version is held for the request that wakes it.
      if (desired.sleeping) supervisorOf(desired.app).restAsleep(version, desired.env);
      else await deploy(desired.app, version, desired.env);
    },
    async sleep(appId) {
      await supervisors.get(appId)?.sleep();
    },
    async wake(_appId, records) {
      const desired = await records();
      if (!desired) return;
      const version = desired.phase === 'failed' ? desired.servingVersion : desired.version;
      await supervisorOf(desired.app).wakeUp(version ? { version, env: desired.env } : undefined);
    },
    async appIds() {
      return [...supervisors.keys()];
    },
    async remove(appId) {
      const supervisor = supervisors.get(appId);
      supervisors.delete(appId);
      await supervisor?.stop({ keepFiles: false });
      if (!supervisor) await store.removeApp(appId);
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
      if (!gateway) throw new ConflictError('The platform\'s gateway is not running; the test panel goes through it.');
      const answer = await gateway.send(appId, test);
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
      await tenantDatabases?.close();
      if (plan.kind === 'bwrap') await plan.cgroups?.close();
    },
  };
}
