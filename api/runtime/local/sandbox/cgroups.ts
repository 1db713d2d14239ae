/**
 * Resource limits per sandbox through cgroups, when the platform may create them (root, or a
 * delegated subtree): memory (with the OOM kills counted, so a killed app is reported as such), a
 * process count, and a CPU quota. Works on cgroup v1 (one hierarchy per controller, as on this kind of
 * machine) and v2 (one unified hierarchy). Every group lives under `fastapi-platform/<scope>/` (one
 * scope per data directory, so platforms sharing a machine never touch each other's groups) and is
 * removed when its process is gone; `reapStale` empties and removes what a killed platform left.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Limits {
  readonly memoryBytes: number;
  readonly pids: number;
  /** CPUs' worth of time per period (1 = one core). */
  readonly cpus: number;
}

const root = '/sys/fs/cgroup';
const top = 'fastapi-platform';
const cpuPeriodUs = 100_000;

type Layout = { kind: 'v2' } | { kind: 'v1'; memory: string; pids: string; cpu: string };

function layout(): Layout | null {
  if (existsSync(join(root, 'cgroup.controllers'))) return { kind: 'v2' };
  const mounts = { memory: join(root, 'memory'), pids: join(root, 'pids'), cpu: existsSync(join(root, 'cpu')) ? join(root, 'cpu') : join(root, 'cpu,cpuacct') };
  return Object.values(mounts).every((dir) => existsSync(dir)) ? { kind: 'v1', ...mounts } : null;
}

export class CgroupGroup {
  constructor(private readonly dirs: readonly string[], private readonly kind: 'v1' | 'v2', private readonly memoryDir: string) {}

  /** Moves processes in; their children follow on their own. */
  async add(pids: readonly number[]): Promise<void> {
    for (const dir of this.dirs) for (const pid of pids) await writeFile(join(dir, 'cgroup.procs'), String(pid)).catch(() => {});
  }

  /** How many times the kernel's OOM killer killed a process of this group. */
  async oomKills(): Promise<number> {
    const file = this.kind === 'v2' ? 'memory.events' : 'memory.oom_control';
    const text = await readFile(join(this.memoryDir, file), 'utf8').catch(() => '');
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  async remove(): Promise<void> {
    for (const dir of this.dirs) await removeGroup(dir);
  }
}

async function removeGroup(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const pid of procs) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export class Cgroups {
  private constructor(private readonly fs: Layout, private readonly scope: string) {}

  /** The cgroups this process may manage under `scope`, or null (not root, read-only, no controllers). */
  static async open(scope: string): Promise<Cgroups | null> {
    const fs = layout();
    if (!fs) return null;
    try {
      const cgroups = new Cgroups(fs, scope);
      for (const dir of cgroups.parents()) await mkdir(dir, { recursive: true });
      if (fs.kind === 'v2') {
        for (const dir of [join(root, top), join(root, top, scope)]) await writeFile(join(dir, 'cgroup.subtree_control'), '+memory +pids +cpu');
      }
      return cgroups;
    } catch {
      return null;
    }
  }

  get kind(): 'v1' | 'v2' {
    return this.fs.kind;
  }

  private parents(): string[] {
    const parent = join(top, this.scope);
    return this.fs.kind === 'v2' ? [join(root, parent)] : [this.fs.memory, this.fs.pids, this.fs.cpu].map((dir) => join(dir, parent));
  }

  async create(name: string, limits: Limits): Promise<CgroupGroup> {
    const quota = String(Math.max(1000, Math.round(limits.cpus * cpuPeriodUs)));
    if (this.fs.kind === 'v2') {
      const dir = join(root, top, this.scope, name);
      await mkdir(dir);
      await writeFile(join(dir, 'memory.max'), String(limits.memoryBytes));
      await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => {});
      await writeFile(join(dir, 'pids.max'), String(limits.pids));
      await writeFile(join(dir, 'cpu.max'), `${quota} ${cpuPeriodUs}`);
      return new CgroupGroup([dir], 'v2', dir);
    }
    const [memory, pids, cpu] = this.parents().map((dir) => join(dir, name)) as [string, string, string];
    for (const dir of [memory, pids, cpu]) await mkdir(dir);
    await writeFile(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    await writeFile(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)).catch(() => {});
    await writeFile(join(pids, 'pids.max'), String(limits.pids));
    await writeFile(join(cpu, 'cpu.cfs_period_us'), String(cpuPeriodUs));
    await writeFile(join(cpu, 'cpu.cfs_quota_us'), quota);
    return new CgroupGroup([memory, pids, cpu], 'v1', memory);
  }

  /** Removes this scope's (empty) parent groups when the platform stops. */
  async close(): Promise<void> {
    for (const dir of this.parents()) await rmdir(dir).catch(() => {});
  }

  /** Empties and removes the groups a platform that was killed left behind. Returns how many. */
  async reapStale(): Promise<number> {
    let count = 0;
    for (const dir of this.parents()) {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (!entry.isDirectory()) continue;
        await removeGroup(join(dir, entry.name));
        if (dir === this.parents()[0]) count += 1;
      }
    }
    return count;
  }
}
