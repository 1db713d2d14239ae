/**
 * Starts one command in a sandbox: `prlimit` (core dumps off, open files and, per tenant UID, processes
 * bounded) → `bwrap` (spawned with only the app's environment, so even its own /proc/1/environ holds
 * nothing of the platform's) → the command, as PID 1 of its namespace, dropped to the tenant's UID
 * when the platform is root. With cgroups, the sandbox waits on a descriptor until its processes are
 * in their group, so nothing runs unlimited for a moment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { bwrapArgs, dropTo, type SandboxBind } from './bwrap-args.js';
import type { CgroupGroup } from './cgroups.js';
import type { SandboxPlan } from './detect.js';

type BwrapPlan = Extract<SandboxPlan, { kind: 'bwrap' }>;

export interface SandboxedSpec {
  readonly name: string;
  readonly hostname: string;
  /** The host UID/GID the command runs as (privileged mode only). */
  readonly uid: number;
  readonly binds: readonly SandboxBind[];
  readonly env: Readonly<Record<string, string>>;
  readonly command: readonly string[];
}

export interface Sandboxed {
  readonly child: ChildProcess;
  /** The command's host PID (signals go there: bwrap forwards none); rejects if it never started. */
  readonly pid: Promise<number>;
  /** Its resource group, when cgroups are in use. */
  readonly group: CgroupGroup | null;
}

const statusFd = 3;
const blockFd = 4;
const passwdFd = 5;
const groupFd = 6;

export async function launchSandboxed(plan: BwrapPlan, spec: SandboxedSpec): Promise<Sandboxed> {
  const { limits } = plan.settings;
  const group = plan.cgroups ? await plan.cgroups.create(spec.name, limits) : null;
  const uid = plan.privileged ? spec.uid : process.getuid?.() ?? 0;
  const rlimits = ['--core=0', '--nofile=4096'];
  if (plan.uids === 'per-tenant') rlimits.push('--nproc=4096');
  // Without cgroups, an address-space cap is the only memory bound there is (coarse: it counts
  // reservations, not use), so it is set well above the memory a cgroup would allow.
  if (!group) rlimits.push(`--as=${Math.max(limits.memoryBytes * 8, 2 << 30)}`);
  const args = bwrapArgs({
    symlinks: plan.layout.symlinks,
    binds: [...plan.layout.binds, ...spec.binds],
    dataFiles: [{ fd: passwdFd, dest: '/etc/passwd' }, { fd: groupFd, dest: '/etc/group' }],
    tmpBytes: limits.tmpBytes,
    hostname: spec.hostname,
    statusFd,
    blockFd: group ? blockFd : null,
    mode: plan.privileged ? 'privileged' : 'user',
    command: plan.privileged ? dropTo(spec.uid, spec.uid, spec.command) : spec.command,
  });
  const child = spawn('prlimit', [...rlimits, '--', plan.settings.bwrap, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...spec.env },
  });
  const fd = (n: number) => child.stdio[n] as (Readable & Writable) | null;
  fd(passwdFd)?.end(`app:x:${uid}:${uid}:app:/tmp:/usr/sbin/nologin\n`);
  fd(groupFd)?.end(`app:x:${uid}:\n`);
  fd(passwdFd)?.on('error', () => {});
  fd(groupFd)?.on('error', () => {});
  fd(blockFd)?.on('error', () => {});
  if (!group) fd(blockFd)?.end();

  const pid = new Promise<number>((resolve, reject) => {
    const status = fd(statusFd);
    if (!status) return reject(new Error('the sandbox has no status descriptor'));
    const lines = createInterface({ input: status });
    let seen = false;
    lines.on('line', (line) => {
      // Only bwrap's first report counts (later ones, such as its exit code, are not needed), so
      // nothing written there afterwards could ever name another process.
      if (seen) return;
      let parsed: { 'child-pid'?: number };
      try {
        parsed = JSON.parse(line) as { 'child-pid'?: number };
      } catch {
        return;
      }
      const childPid = parsed['child-pid'];
      if (typeof childPid !== 'number') return;
      seen = true;
      void (async () => {
        if (group) {
          // bwrap itself and the waiting sandbox join before the command runs; children follow.
          await group.add([child.pid ?? 0, childPid].filter(Boolean));
          fd(blockFd)?.end('go');
        }
        resolve(childPid);
      })();
    });
    child.once('exit', () => reject(new Error('the sandbox exited before its command started')));
    child.once('error', reject);
  });
  pid.catch(() => {});
  return { child, pid, group };
}
