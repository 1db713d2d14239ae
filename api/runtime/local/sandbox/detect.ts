/**
 * Decides at start how runners are sandboxed, and proves it works before any app depends on it: finds
 * bubblewrap, runs the exact kind of sandbox apps will get around `/bin/true`, and picks the mode.
 * - Platform as root: bwrap runs privileged and each tenant's processes get a host UID of their own
 *   (`per-tenant`), or one shared non-root UID (`shared`, what an ordinary user's laptop has anyway).
 * - Platform as an ordinary user: bwrap runs in a user namespace as that user; mount namespaces alone
 *   keep tenants apart (each sandbox sees only its own code and socket directory).
 * Without a working bwrap, apps do not run unless UNSAFE_NO_SANDBOX says so, loudly.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bwrapArgs, dropTo } from './bwrap-args.js';
import { Cgroups } from './cgroups.js';
import { hostLayout, type HostLayout } from './host-binds.js';

const run = promisify(execFile);

export interface SandboxLimits {
  readonly memoryBytes: number;
  readonly pids: number;
  readonly cpus: number;
  /** Size of the tmpfs at /tmp. */
  readonly tmpBytes: number;
}

export interface SandboxSettings {
  /** The bubblewrap executable (a name on PATH, or a path). */
  readonly bwrap: string;
  /** Run apps without a sandbox (only ever when explicitly asked). */
  readonly unsafeNoSandbox: boolean;
  /** As root: a UID per tenant (default) or one shared non-root UID. */
  readonly uids: 'per-tenant' | 'shared';
  /** The first tenant UID (and the shared one). */
  readonly uidBase: number;
  readonly limits: SandboxLimits;
  /** Which cgroups this platform's sandboxes live under (one per data directory). */
  readonly cgroupScope: string;
}

export type SandboxPlan =
  | {
    readonly kind: 'bwrap';
    readonly version: string;
    readonly privileged: boolean;
    readonly uids: 'per-tenant' | 'shared' | 'platform';
    readonly layout: HostLayout;
    readonly cgroups: Cgroups | null;
    readonly settings: SandboxSettings;
  }
  | { readonly kind: 'unsandboxed'; readonly reason: string; readonly settings: SandboxSettings }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly settings: SandboxSettings };

/** One line for the start-up log: what keeps tenants apart on this machine. */
export function describePlan(plan: SandboxPlan): string {
  if (plan.kind === 'unavailable') return `sandbox UNAVAILABLE (${plan.reason}): apps will not run; install bubblewrap, or set UNSAFE_NO_SANDBOX=1 to run them unsandboxed`;
  if (plan.kind === 'unsandboxed') return `UNSAFE_NO_SANDBOX is set: apps run UNSANDBOXED as the platform's own user and can read its data directory and each other's files (${plan.reason})`;
  const who = plan.uids === 'per-tenant'
    ? `each tenant as its own host UID (from ${plan.settings.uidBase}); file modes and mount namespaces keep tenants apart`
    : plan.uids === 'shared'
      ? `every tenant as the shared UID ${plan.settings.uidBase}; mount namespaces keep tenants apart`
      : 'every tenant as the platform\'s own user (not root); mount namespaces alone keep tenants apart: a sandbox sees only its own code and socket directory';
  const limits = plan.cgroups
    ? `cgroup ${plan.cgroups.kind} limits: ${plan.settings.limits.memoryBytes >> 20} MiB, ${plan.settings.limits.pids} tasks, ${plan.settings.limits.cpus} CPU`
    : 'no cgroups here: rlimits only';
  return `sandbox: bubblewrap ${plan.version}, ${plan.privileged ? 'privileged' : 'user namespace'}; ${who}; ${limits}; /tmp ${plan.settings.limits.tmpBytes >> 20} MiB`;
}

async function bwrapVersion(bwrap: string): Promise<string> {
  const { stdout } = await run(bwrap, ['--version'], { timeout: 5000 });
  return stdout.trim().replace(/^bubblewrap\s+/, '');
}

/** Runs /bin/true in a sandbox built like an app's; resolves, or rejects with bwrap's own words. */
async function tryOne(bwrap: string, privileged: boolean, uid: number, layout: HostLayout): Promise<void> {
  const command = privileged ? dropTo(uid, uid, ['/bin/true']) : ['/bin/true'];
  const args = bwrapArgs({
    symlinks: layout.symlinks, binds: layout.binds, dataFiles: [], tmpBytes: 1 << 20, hostname: 'probe',
    statusFd: 1, blockFd: null, mode: privileged ? 'privileged' : 'user', command,
  });
  try {
    await run(bwrap, args, { timeout: 10_000, env: { PATH: '/usr/bin:/bin' } });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error((e.stderr ?? '').trim() || e.message, { cause: error });
  }
}

export async function detectSandbox(python: string, settings: SandboxSettings): Promise<SandboxPlan> {
  if (settings.unsafeNoSandbox) return { kind: 'unsandboxed', reason: 'UNSAFE_NO_SANDBOX', settings };
  let version: string;
  try {
    version = await bwrapVersion(settings.bwrap);
  } catch {
    return { kind: 'unavailable', reason: `${settings.bwrap} is not installed (Debian package bubblewrap)`, settings };
  }
  const privileged = process.getuid?.() === 0;
  const layout = hostLayout(python);
  try {
    await tryOne(settings.bwrap, privileged, settings.uidBase, layout);
  } catch (error) {
    return { kind: 'unavailable', reason: `bwrap ${version} cannot create the sandbox's namespaces here: ${(error as Error).message}`, settings };
  }
  const cgroups = privileged ? await Cgroups.open(settings.cgroupScope) : null;
  return { kind: 'bwrap', version, privileged, uids: privileged ? settings.uids : 'platform', layout, cgroups, settings };
}
