/**
 * The embedded default's database servers: one FerretDB per tenant, run by the local runtime in a
 * sandbox of the tenant's own (its UID when the platform is root, the same namespaces and limits as
 * its apps), listening only on a Unix socket in a directory of that tenant's. Its SQLite files live in
 * `<DATA_DIR>/db/<key>/data`; the socket in `<DATA_DIR>/db/<key>/sock`, which is bound into that
 * tenant's app sandboxes and nobody else's. Its administrator's password is generated at first start
 * and kept beside (0600, outside what the sandbox sees). A server runs while a lease on it is held (an
 * app of the tenant runs, the explorer reads) and stops after `idleMs` without one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { launchSandboxed, type CgroupGroup, type SandboxPlan, type TenantIds } from './sandbox/index.js';

/** Where a tenant's database socket is inside its sandboxes. */
export const sandboxDbSocketDir = '/tmp/.platform-db';
export const socketName = 'db.sock';

interface Running {
  readonly child: ChildProcess;
  readonly pid: Promise<number>;
  readonly group: CgroupGroup | null;
  readonly exited: Promise<void>;
  leases: number;
  idleTimer: NodeJS.Timeout | null;
}

export interface TenantServersOptions {
  /** A sandbox like the tenant's apps'; with UNSAFE_NO_SANDBOX, a plain child. */
  readonly plan: SandboxPlan;
  readonly ferretdb: string;
  readonly dataDir: string;
  readonly tenantIds: TenantIds | null;
  readonly idleMs: number;
  readonly log: (message: string) => void;
}

export class TenantServers {
  private readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, Promise<Running>>();

  constructor(private readonly options: TenantServersOptions) {}

  /** Short and fixed per tenant: socket paths must fit 107 bytes. */
  private dir(ownerId: string): string {
    return join(this.options.dataDir, 'db', createHash('sha256').update(ownerId).digest('hex').slice(0, 12));
  }

  private async adminPassword(dir: string): Promise<string> {
    const file = join(dir, 'admin.password');
    const existing = await readFile(file, 'utf8').catch(() => null);
    if (existing) return existing.trim();
    const password = randomBytes(24).toString('hex');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return (await readFile(file, 'utf8')).trim();
  }

  /** The tenant administrator's URI from the platform's side (the server need not run yet). */
  async adminUriOf(ownerId: string): Promise<string> {
    const dir = this.dir(ownerId);
    const password = await this.adminPassword(dir);
    return `mongodb://admin:${password}@${encodeURIComponent(join(dir, 'sock', socketName))}/?authSource=admin`;
  }

  /** The host path of the tenant's socket directory. */
  socketDirOf(ownerId: string): string {
    return join(this.dir(ownerId), 'sock');
  }

  /** Starts the tenant's server if needed and holds it until `release`. */
  async acquire(ownerId: string): Promise<void> {
    const running = this.running.get(ownerId) ?? await this.start(ownerId);
    running.leases += 1;
    if (running.idleTimer) clearTimeout(running.idleTimer);
    running.idleTimer = null;
  }

  release(ownerId: string): void {
    const running = this.running.get(ownerId);
    if (!running) return;
    running.leases = Math.max(0, running.leases - 1);
    if (running.leases > 0 || running.idleTimer) return;
    running.idleTimer = setTimeout(() => {
      running.idleTimer = null;
      if (running.leases === 0) void this.stop(ownerId);
    }, this.options.idleMs);
    running.idleTimer.unref();
  }

  isRunning(ownerId: string): boolean {
    return this.running.has(ownerId);
  }

  /** The server's resident memory (its PID's RSS), for measurements. */
  async rssBytes(ownerId: string): Promise<number | null> {
    const running = this.running.get(ownerId);
    const pid = running ? await running.pid.catch(() => null) : null;
    if (!pid) return null;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
    return Number.isFinite(kb) ? kb * 1024 : null;
  }

  private start(ownerId: string): Promise<Running> {
    const pending = this.starting.get(ownerId);
    if (pending) return pending;
    const started = this.launch(ownerId).finally(() => this.starting.delete(ownerId));
    this.starting.set(ownerId, started);
    return started;
  }

  private async launch(ownerId: string): Promise<Running> {
    const { plan } = this.options;
    if (plan.kind === 'unavailable') throw new Error(`databases cannot run: ${plan.reason}`);
    const dir = this.dir(ownerId);
    const password = await this.adminPassword(dir);
    const dataDir = join(dir, 'data');
    const socketDir = join(dir, 'sock');
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    await rm(join(socketDir, socketName), { force: true });
    // Credentials through the environment (readable by the server's own UID only), never the command line.
    const env = {
      PATH: '/usr/bin:/bin', FERRETDB_TEST_ENABLE_NEW_AUTH: 'true', FERRETDB_SETUP_DATABASE: 'admin',
      FERRETDB_SETUP_USERNAME: 'admin', FERRETDB_SETUP_PASSWORD: password,
    };
    const args = (data: string, sock: string) => ['--handler=sqlite', `--sqlite-url=file:${data}/`, `--state-dir=${data}`, '--listen-addr=',
      `--listen-unix=${sock}/${socketName}`, '--debug-addr=-', '--telemetry=disable', '--log-level=error'];
    let child: ChildProcess;
    let pid: Promise<number>;
    let group: CgroupGroup | null = null;
    if (plan.kind === 'bwrap') {
      const uid = plan.privileged && plan.uids === 'per-tenant' && this.options.tenantIds
        ? await this.options.tenantIds.uidOf(ownerId)
        : plan.privileged ? plan.settings.uidBase : process.getuid?.() ?? 0;
      if (plan.privileged) {
        await chown(dataDir, uid, uid);
        await chown(socketDir, uid, uid);
      }
      const sandbox = await launchSandboxed(plan, {
        name: `db-${dir.slice(-12)}-${randomBytes(3).toString('hex')}`, hostname: 'tenant-db', uid, env,
        binds: [
          { writable: false, source: this.options.ferretdb, dest: '/opt/ferretdb' },
          { writable: true, source: dataDir, dest: '/tmp/data' },
          { writable: true, source: socketDir, dest: '/tmp/sock' },
        ],
        command: ['/opt/ferretdb', ...args('/tmp/data', '/tmp/sock')],
      });
      ({ child, pid, group } = sandbox);
    } else {
      child = spawn(this.options.ferretdb, args(dataDir, socketDir), { env, stdio: ['ignore', 'pipe', 'pipe'] });
      pid = Promise.resolve(child.pid ?? 0);
    }
    let output = '';
    child.stdout?.on('data', (chunk) => { output = (output + String(chunk)).slice(-2000); });
    child.stderr?.on('data', (chunk) => { output = (output + String(chunk)).slice(-2000); });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const running: Running = { child, pid, group, exited, leases: 0, idleTimer: null };
    void exited.then(async () => {
      await group?.remove();
      if (this.running.get(ownerId) !== running) return;
      // Not asked to stop: its apps still hold leases, so it comes back (its socket in the same place).
      this.running.delete(ownerId);
      this.options.log(`the database server of tenant ${ownerId} exited unasked (${output.trim().split('\n').at(-1) ?? ''}); starting it again`);
      if (running.leases === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (this.running.has(ownerId)) return;
      const again = await this.start(ownerId).catch((error: unknown) => {
        this.options.log(`the database server of tenant ${ownerId} did not start again: ${String(error)}`);
        return null;
      });
      if (again) again.leases += running.leases;
    });
    const uri = await this.adminUriOf(ownerId);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
      try {
        await client.db('admin').command({ ping: 1 });
        break;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`the tenant's database server did not start: ${output.trim() || (error as Error).message}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        await client.close();
      }
    }
    this.running.set(ownerId, running);
    return running;
  }

  private async stop(ownerId: string): Promise<void> {
    const running = this.running.get(ownerId);
    if (!running) return;
    this.running.delete(ownerId);
    if (running.idleTimer) clearTimeout(running.idleTimer);
    const pid = await running.pid.catch(() => null);
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 5000);
    await running.exited;
    clearTimeout(timer);
  }

  /** The bytes a database's SQLite files take (FerretDB keeps one file per database), server running or not. */
  async databaseBytes(ownerId: string, dbName: string): Promise<number> {
    let total = 0;
    for (const suffix of ['.sqlite', '.sqlite-wal']) total += await stat(join(this.dir(ownerId), 'data', `${dbName}${suffix}`)).then((s) => s.size, () => 0);
    return total;
  }

  /** Stops the tenant's server and deletes its files: every database and user of the tenant. */
  async remove(ownerId: string): Promise<void> {
    await this.stop(ownerId);
    await rm(this.dir(ownerId), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((ownerId) => this.stop(ownerId)));
  }
}
