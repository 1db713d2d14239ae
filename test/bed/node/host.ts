/**
 * The real node's host-global state: a machine-wide lock (one node per machine: iptables, netns,
 * cgroups and the CNI bridge are shared by everything on it), the node's address and sysctls, and a
 * cleanup that removes everything a node leaves, which runs before a start (a crashed run's leftovers)
 * and after a stop. Everything the node owns is found by name: its directories,
 * its address and bridge, the KUBE-/CNI- chains and sets, the `kubepods` cgroups, processes whose command line names its dirs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Fixed places: a crashed run is found by them. */
export const nodeHost = {
  stateDir: '/var/lib/fastapi-platform-bed',
  runDir: '/run/fastapi-platform-bed',
  lockFile: '/run/fastapi-platform-bed.lock',
  sysctlFile: '/var/lib/fastapi-platform-bed.sysctl.json',
  /** The node's address, on the loopback interface (this kernel has no dummy links): private, so the apps' egress exceptions cover it. */
  link: 'lo',
  bridge: 'fp-cni0',
  address: '10.213.0.1',
} as const;

const sysctls = ['net/ipv4/ip_forward', 'net/bridge/bridge-nf-call-iptables'] as const;

async function run(command: string, args: readonly string[], input?: string): Promise<string> {
  const child = exec(command, [...args], { maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  return (await child).stdout;
}

async function quietly(command: string, args: readonly string[]): Promise<void> {
  await run(command, args).catch(() => undefined);
}

/** /proc/<pid>/stat's start time: a pid that was reused by another process does not match. */
async function startTime(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : fields[19] ?? null;
  } catch {
    return null;
  }
}

export interface NodeLock {
  release(): Promise<void>;
}

/**
 * Takes the machine-wide lock, or says who holds it. A lock whose process is gone (a crashed or killed
 * run) is taken over; the caller then cleans what that run left.
 */
export async function acquireNodeLock(waitMs = 20 * 60_000): Promise<NodeLock> {
  const deadline = Date.now() + waitMs;
  let said = false;
  for (;;) {
    try {
      return await tryNodeLock();
    } catch (error) {
      if (!(error instanceof NodeBusyError) || Date.now() > deadline) throw error;
      // Another engineer's run on a shared machine: wait for its node to go rather than fail.
      if (!said) console.error(`[test] ${error.message}: waiting up to ${Math.round(waitMs / 60_000)} min for it`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

class NodeBusyError extends Error {}

async function tryNodeLock(): Promise<NodeLock> {
  await mkdir('/run', { recursive: true });
  const me = `${process.pid} ${await startTime(process.pid)}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(nodeHost.lockFile, 'wx', 0o644);
      await handle.writeFile(me);
      await handle.close();
      return { release: () => rm(nodeHost.lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = (await readFile(nodeHost.lockFile, 'utf8').catch(() => '')).trim();
    const [pid, started] = holder.split(' ');
    if (pid && Number(pid) > 0 && started && (await startTime(Number(pid))) === started) {
      throw new NodeBusyError(`another test bed runs a real node on this machine (pid ${pid}, lock ${nodeHost.lockFile}); one node per machine`);
    }
    await rm(nodeHost.lockFile, { force: true });
  }
  throw new Error(`could not take ${nodeHost.lockFile}`);
}

async function sysctl(name: string, value?: string): Promise<string> {
  const path = `/proc/sys/${name}`;
  if (value !== undefined) await writeFile(path, value);
  return (await readFile(path, 'utf8')).trim();
}

/** The node's address and forwarding; the sysctls' previous values are saved for cleanup. */
export async function prepareHost(): Promise<void> {
  const saved: Record<string, string> = {};
  for (const name of sysctls) saved[name] = await sysctl(name);
  await writeFile(nodeHost.sysctlFile, JSON.stringify(saved));
  await sysctl('net/ipv4/ip_forward', '1');
  // Bridged pod-to-pod traffic must pass iptables: kube-proxy's hairpin NAT and kube-router's policies.
  await sysctl('net/bridge/bridge-nf-call-iptables', '1');
  await run('ip', ['addr', 'add', `${nodeHost.address}/32`, 'dev', nodeHost.link]);
  await mkdir(nodeHost.stateDir, { recursive: true });
  await mkdir(nodeHost.runDir, { recursive: true });
}

/** Pids of processes whose command line names one of the node's directories (its servers, shims, containers' parents). */
async function nodeProcesses(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(nodeHost.stateDir) || cmdline.includes(nodeHost.runDir)) pids.push(pid);
  }
  return pids;
}

/** Every cgroup directory the node's pods used, deepest first, in each cgroup v1 hierarchy. */
async function podCgroups(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) await walk(join(dir, entry.name));
    found.push(dir);
  };
  for (const hierarchy of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    for (const root of ['kubepods', 'k8s.io']) {
      const dir = `/sys/fs/cgroup/${hierarchy}/${root}`;
      if (existsSync(dir)) await walk(dir);
    }
  }
  return found;
}

async function killAll(pids: readonly number[]): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Mount points under the node's directories and the runtime's shared ones, deepest first. */
async function nodeMounts(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const roots = [nodeHost.stateDir, nodeHost.runDir, '/run/containerd', '/run/netns/cni-', '/var/run/netns/cni-'];
  return text.split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\040/g, ' ') ?? '')
    .filter((point) => roots.some((root) => point.startsWith(root)))
    .sort((a, b) => b.length - a.length);
}

/** iptables rules and chains of kube-proxy, kube-router, the kubelet and the CNI plugins: all named KUBE-* or CNI-*. */
async function removeChains(): Promise<void> {
  for (const [save, restore] of [['iptables-save', 'iptables-restore'], ['ip6tables-save', 'ip6tables-restore']] as const) {
    const dump = await run(save, []).catch(() => '');
    if (!/KUBE-|CNI-/.test(dump)) continue;
    const kept = dump.split('\n').filter((line) => !/^:(KUBE-|CNI-)/.test(line) && !(line.startsWith('-A') && /(KUBE-|CNI-)/.test(line)));
    await run(restore, [], `${kept.join('\n')}\n`);
  }
  const sets = (await run('ipset', ['list', '-n']).catch(() => '')).split('\n').filter((name) => /^(KUBE-|kube-router|inet6:KUBE-)/.test(name));
  for (const set of sets) await quietly('ipset', ['destroy', set]);
}

/**
 * Removes everything a node leaves on the host: processes, containers' cgroups, mounts, network
 * namespaces, links, chains, sets, directories, and restores the sysctls. Safe to run when nothing is left.
 */
export async function cleanHost(options: { kubeRouter?: string | undefined } = {}): Promise<string[]> {
  const done: string[] = [];
  const processes = await nodeProcesses();
  if (processes.length > 0) done.push(`${processes.length} processes`);
  await killAll(processes);
  // Containers' processes live in the pods' cgroups; their shims are gone, so kill them directly.
  const cgroups = await podCgroups();
  for (const dir of cgroups) {
    const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').map(Number).filter((n) => n > 0);
    await killAll(procs);
  }
  if (processes.length > 0 || cgroups.length > 0) await new Promise((resolve) => setTimeout(resolve, 300));
  for (const point of await nodeMounts()) {
    await run('umount', [point]).catch(() => quietly('umount', ['-l', point]));
  }
  for (const dir of cgroups) await rmdir(dir).catch(() => undefined);
  if (cgroups.length > 0) done.push(`${cgroups.length} cgroups`);
  for (const dir of ['/run/netns', '/var/run/netns']) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.startsWith('cni-')) continue;
      await quietly('ip', ['netns', 'delete', name]);
      await rm(join(dir, name), { force: true });
    }
  }
  if ((await run('ip', ['-4', 'addr', 'show', 'dev', nodeHost.link]).catch(() => '')).includes(` ${nodeHost.address}/32 `)) {
    await quietly('ip', ['addr', 'del', `${nodeHost.address}/32`, 'dev', nodeHost.link]);
    done.push(`address ${nodeHost.address}`);
  }
  for (const link of [nodeHost.bridge, 'kube-dummy-if', 'kube-bridge']) {
    if (existsSync(`/sys/class/net/${link}`)) {
      await quietly('ip', ['link', 'delete', link]);
      done.push(`link ${link}`);
    }
  }
  if (options.kubeRouter && existsSync(options.kubeRouter)) await quietly(options.kubeRouter, ['--cleanup-config']);
  await removeChains();
  await rm(nodeHost.stateDir, { recursive: true, force: true });
  await rm(nodeHost.runDir, { recursive: true, force: true });
  await rm('/run/containerd', { recursive: true, force: true });
  if (existsSync(nodeHost.sysctlFile)) {
    const saved = JSON.parse(await readFile(nodeHost.sysctlFile, 'utf8')) as Record<string, string>;
    for (const [name, value] of Object.entries(saved)) await sysctl(name, value).catch(() => undefined);
    await rm(nodeHost.sysctlFile, { force: true });
    done.push('sysctls restored');
  }
  return done;
}

/** What a node would have left on the host; empty after a clean stop (run.ts fails the run otherwise). */
export async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  const processes = await nodeProcesses();
  if (processes.length > 0) found.push(`processes ${processes.join(' ')}`);
  const mounts = await nodeMounts();
  if (mounts.length > 0) found.push(`mounts ${mounts.join(' ')}`);
  const cgroups = await podCgroups();
  if (cgroups.length > 0) found.push(`cgroups ${cgroups.slice(0, 3).join(' ')}…`);
  for (const dir of ['/run/netns', '/var/run/netns']) {
    const netns = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith('cni-'));
    if (netns.length > 0) found.push(`netns ${netns.join(' ')}`);
  }
  if (existsSync(`/sys/class/net/${nodeHost.bridge}`)) found.push(`link ${nodeHost.bridge}`);
  if ((await run('ip', ['-4', 'addr', 'show', 'dev', nodeHost.link]).catch(() => '')).includes(` ${nodeHost.address}/32 `)) found.push(`address ${nodeHost.address}`);
  const chains = (await run('iptables-save', []).catch(() => '')).split('\n').filter((l) => /^:(KUBE-|CNI-)/.test(l));
  if (chains.length > 0) found.push(`${chains.length} iptables chains`);
  for (const path of [nodeHost.stateDir, nodeHost.runDir, nodeHost.sysctlFile, '/run/containerd']) if (existsSync(path)) found.push(path);
  return found;
}
