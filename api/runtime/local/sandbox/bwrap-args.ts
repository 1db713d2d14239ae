/**
 * The bubblewrap command line for one sandbox, as a pure function of what it should see: every
 * namespace but the network one new (mount, PID, IPC, UTS, cgroup), a read-only root made of
 * read-only binds and nothing else of the host, `/tmp` a size-limited tmpfs (with the writable binds,
 * which must live below it, the only writable places), its own `/proc` and `/dev`, and the process as
 * PID 1, so the PID `--json-status-fd` reports is the runner's own and SIGTERM reaches it (bwrap
 * forwards no signals).
 */

export interface SandboxBind {
  /** Read-only (code, venv, system files) or writable (the runner's socket directory). */
  readonly writable: boolean;
  readonly source: string;
  readonly dest: string;
}

export interface SandboxArgs {
  /** `--symlink` entries (merged-/usr hosts: /lib → usr/lib). */
  readonly symlinks: readonly { readonly target: string; readonly path: string }[];
  readonly binds: readonly SandboxBind[];
  /** Files written from file descriptors the caller fills (a passwd naming the sandbox's user). */
  readonly dataFiles: readonly { readonly fd: number; readonly dest: string }[];
  readonly tmpBytes: number;
  readonly hostname: string;
  readonly statusFd: number;
  /** The sandbox waits on this descriptor before it runs the command (cgroups are joined meanwhile). */
  readonly blockFd: number | null;
  /**
   * `privileged`: bwrap runs as root without a user namespace and the command drops to a tenant's UID
   * itself (`setpriv`); `user`: bwrap runs as the caller in a user namespace of its own, with no
   * capabilities and no further user namespaces.
   */
  readonly mode: 'privileged' | 'user';
  readonly command: readonly string[];
}

export function bwrapArgs(spec: SandboxArgs): string[] {
  const args = [
    '--die-with-parent', '--new-session', '--as-pid-1',
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', spec.hostname,
    '--json-status-fd', String(spec.statusFd),
  ];
  if (spec.mode === 'user') args.push('--unshare-user', '--disable-userns', '--cap-drop', 'ALL');
  for (const bind of spec.binds) {
    if (bind.writable && !bind.dest.startsWith('/tmp/')) throw new Error(`a writable sandbox bind must live under /tmp, not ${bind.dest}`);
  }
  for (const link of spec.symlinks) args.push('--symlink', link.target, link.path);
  args.push('--perms', '01777', '--size', String(spec.tmpBytes), '--tmpfs', '/tmp');
  // bwrap makes missing parents of a mount point private (0700) when it runs as root; they are made
  // here first, traversable, so a tenant's UID can reach what is bound below them.
  const parents = parentsOf([...spec.binds.map((b) => b.dest), ...spec.dataFiles.map((f) => f.dest)]).filter((dir) => dir !== '/tmp');
  for (const dir of parents) args.push('--perms', '0755', '--dir', dir);
  for (const bind of spec.binds) args.push(bind.writable ? '--bind' : '--ro-bind', bind.source, bind.dest);
  for (const file of spec.dataFiles) args.push('--perms', '0444', '--ro-bind-data', String(file.fd), file.dest);
  args.push('--proc', '/proc', '--dev', '/dev', '--remount-ro', '/', '--chdir', '/tmp');
  if (spec.blockFd !== null) args.push('--block-fd', String(spec.blockFd));
  args.push('--', ...spec.command);
  return args;
}

/** Every ancestor directory of the paths (not `/`), parents before children, each once. */
export function parentsOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** `setpriv` to a tenant's UID with every capability gone and no way to gain privileges back. */
export function dropTo(uid: number, gid: number, command: readonly string[]): string[] {
  return [
    'setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups',
    '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--no-new-privs', '--', ...command,
  ];
}
