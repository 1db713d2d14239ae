/**
 * How the local runtime starts one runner process: inside its sandbox (sandbox/), or, only when
 * UNSAFE_NO_SANDBOX says so, as a plain child. The app's language (its entrypoint's) picks the runner:
 * Python's (runner/ on the venv, bound at /opt/runner and /opt/venv) or Node's (runner-node/dist and its
 * packages, bound read-only at /opt/runner-node, on this platform's Node). Either way the runner listens
 * on a Unix socket (`FP_LISTEN=unix:…`) in a directory of its own that only the platform and that tenant
 * can reach (mode 0700, owned by the tenant's UID when the platform is root), never on a loopback port,
 * and it gets the same environment contract as in a pod: the app's own variables, then APP_ID,
 * CODE_DIR=/code, ENTRYPOINT, FP_LISTEN, FP_INSTANCE, HOME=/tmp, TMPDIR=/tmp, nothing of the platform's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isLoaderVariable, languageOfEntrypoint, type AppLanguage } from '../../../constructs/index.js';
import type { CodeStore } from './code-store.js';
import { launchSandboxed, nodeLayout, type SandboxBind, type SandboxPlan, type TenantIds } from './sandbox/index.js';
import { sandboxDbSocketDir, socketName, type TenantServers } from './tenant-servers.js';

export interface LaunchRequest {
  readonly appId: string;
  readonly ownerId: string;
  readonly version: number;
  readonly codeDir: string;
  readonly entrypoint: string;
  readonly env: Readonly<Record<string, string>>;
  /** Echoed by the probe path: only this process's answer counts. */
  readonly instance: string;
}

export interface LaunchedRunner {
  readonly child: ChildProcess;
  /** The runner's own PID (SIGTERM goes there); rejects when it never started. */
  readonly pid: Promise<number>;
  /** The socket the runner listens on, as the platform reaches it. */
  readonly socketPath: string;
  /** Whether the kernel's OOM killer ended it (known with cgroups only). */
  oomKilled(): Promise<boolean>;
  /** Removes the socket directory, the scratch directory and the resource group. */
  cleanup(): Promise<void>;
}

export interface RunnerLauncherOptions {
  readonly plan: SandboxPlan;
  readonly python: string;
  readonly runnerDir: string;
  /** The Node that runs TypeScript apps. */
  readonly node: string;
  /** runner-node/: its bundle in dist/ and its packages in node_modules/ (a link into the set-up's cache). */
  readonly nodeRunnerDir: string;
  readonly dataDir: string;
  readonly store: CodeStore;
  readonly tenantIds: TenantIds | null;
  /** The tenants' database servers: an app whose PLATFORM_MONGO_URI names one holds it while it runs. */
  readonly tenantDatabases?: TenantServers | null;
}

/** Where the runner's socket directory is inside its sandbox: under /tmp, the only writable tree. */
export const sandboxSocketDir = '/tmp/.platform';

/** Where the Node runner is inside its sandbox (and in its image). */
const sandboxNodeRunner = '/opt/runner-node';

/** sockaddr_un holds 108 bytes with the terminating NUL. */
const maxSocketPath = 107;

/** What runs one language's runner: the command inside the sandbox, its binds, and outside one. */
interface RunnerKind {
  readonly binds: SandboxBind[];
  readonly sandboxed: string[];
  readonly plain: string[];
  readonly env: Record<string, string>;
}

export class RunnerLauncher {
  private readonly kinds: Record<AppLanguage, () => RunnerKind>;

  constructor(private readonly options: RunnerLauncherOptions) {
    const { plan } = options;
    this.kinds = {
      python: () => ({
        binds: [{ writable: false, source: options.runnerDir, dest: '/opt/runner' }],
        sandboxed: [plan.kind === 'bwrap' ? plan.layout.python : options.python, '/opt/runner/entrypoint.py'],
        plain: [options.python, join(options.runnerDir, 'entrypoint.py')],
        env: { PYTHONDONTWRITEBYTECODE: '1' },
      }),
      typescript: () => {
        const node = nodeLayout(options.node);
        return {
          binds: [
            ...node.binds,
            { writable: false, source: join(options.nodeRunnerDir, 'dist'), dest: `${sandboxNodeRunner}/dist` },
            // The packages' real directory: a link would point outside the sandbox.
            { writable: false, source: realpathSync(join(options.nodeRunnerDir, 'node_modules')), dest: `${sandboxNodeRunner}/node_modules` },
          ],
          sandboxed: [node.node, '--enable-source-maps', `${sandboxNodeRunner}/dist/main.mjs`],
          plain: [options.node, '--enable-source-maps', join(options.nodeRunnerDir, 'dist/main.mjs')],
          env: {},
        };
      },
    };
  }

  /** Whether runners get a sandbox (they always do, unless UNSAFE_NO_SANDBOX is set). */
  get sandboxed(): boolean {
    return this.options.plan.kind !== 'unsandboxed';
  }

  /** Where runner sockets go; throws at start when the data directory is too deep for a socket path. */
  static socketRoot(dataDir: string): string {
    const root = join(dataDir, 'sock');
    if (Buffer.byteLength(join(root, 'x'.repeat(19), 'app.sock')) > maxSocketPath) {
      throw new Error(`DATA_DIR (${dataDir}) is too long for the runners' Unix socket paths (at most ${maxSocketPath} bytes); choose a shorter one`);
    }
    return root;
  }

  private async tenantUid(ownerId: string): Promise<number> {
    const { plan } = this.options;
    if (plan.kind !== 'bwrap' || !plan.privileged) return process.getuid?.() ?? 0;
    if (plan.uids === 'per-tenant' && this.options.tenantIds) return this.options.tenantIds.uidOf(ownerId);
    return plan.settings.uidBase;
  }

  async start(request: LaunchRequest): Promise<LaunchedRunner> {
    const { plan } = this.options;
    if (plan.kind === 'unavailable') throw new Error(`apps cannot run: ${plan.reason}`);
    const name = `${request.appId}-${randomBytes(4).toString('hex')}`;
    const socketDir = join(RunnerLauncher.socketRoot(this.options.dataDir), name);
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    const uid = await this.tenantUid(request.ownerId);
    if (plan.kind === 'bwrap' && plan.privileged) await chown(socketDir, uid, uid);
    const socketPath = join(socketDir, 'app.sock');
    // The API refuses these names already; dropped here too, since bwrap and setpriv run as root.
    const appEnv: Record<string, string> = Object.fromEntries(Object.entries(request.env).filter(([key]) => !isLoaderVariable(key)));
    // The tenant's database: its server runs while the app does, and its socket is bound in read-only.
    const databases = this.options.tenantDatabases;
    const sandboxSocket = encodeURIComponent(`${sandboxDbSocketDir}/${socketName}`);
    const usesDatabase = databases !== null && databases !== undefined && (appEnv.PLATFORM_MONGO_URI ?? '').includes(sandboxSocket);
    const databaseBinds: SandboxBind[] = [];
    if (usesDatabase) {
      await databases.acquire(request.ownerId);
      databaseBinds.push({ writable: false, source: databases.socketDirOf(request.ownerId), dest: sandboxDbSocketDir });
      if (plan.kind === 'unsandboxed') {
        appEnv.PLATFORM_MONGO_URI = (appEnv.PLATFORM_MONGO_URI ?? '').replace(sandboxSocket, encodeURIComponent(join(databases.socketDirOf(request.ownerId), socketName)));
      }
    }
    const releaseDatabase = () => { if (usesDatabase) databases.release(request.ownerId); };
    const kind = this.kinds[languageOfEntrypoint(request.entrypoint) ?? 'python']();
    const contract = {
      APP_ID: request.appId, ENTRYPOINT: request.entrypoint, FP_INSTANCE: request.instance, FP_APP_VERSION: String(request.version),
      ...kind.env, PATH: '/usr/local/bin:/usr/bin:/bin',
    };

    if (plan.kind === 'unsandboxed') {
      const scratch = await this.options.store.scratchDir(request.appId, `v${request.version}-${name}`);
      const [command = '', ...args] = kind.plain;
      const child = spawn(command, args, {
        cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...appEnv, ...contract, CODE_DIR: request.codeDir, FP_LISTEN: `unix:${socketPath}`, TMPDIR: scratch, HOME: scratch, FP_TERMINATION_LOG: join(scratch, 'termination-log') },
      });
      const pid = new Promise<number>((resolve, reject) => {
        if (child.pid) resolve(child.pid);
        else child.once('error', reject);
      });
      pid.catch(() => {});
      return {
        child, pid, socketPath, oomKilled: async () => false,
        cleanup: async () => {
          releaseDatabase();
          await this.options.store.removeScratch(scratch).catch(() => {});
          await this.options.store.removeScratch(socketDir).catch(() => {});
        },
      };
    }

    const sandbox = await launchSandboxed(plan, {
      name, hostname: `app-${request.appId}`, uid,
      binds: [
        ...kind.binds,
        { writable: false, source: request.codeDir, dest: '/code' },
        { writable: true, source: socketDir, dest: sandboxSocketDir },
        ...databaseBinds,
      ],
      env: { ...appEnv, ...contract, CODE_DIR: '/code', FP_LISTEN: `unix:${sandboxSocketDir}/app.sock`, TMPDIR: '/tmp', HOME: '/tmp' },
      command: kind.sandboxed,
    });
    return {
      child: sandbox.child, pid: sandbox.pid, socketPath,
      oomKilled: async () => (sandbox.group ? (await sandbox.group.oomKills()) > 0 : false),
      cleanup: async () => {
        releaseDatabase();
        await sandbox.group?.remove();
        await this.options.store.removeScratch(socketDir).catch(() => {});
      },
    };
  }
}
