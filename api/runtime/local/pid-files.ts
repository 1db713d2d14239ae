/**
 * Runner processes outlive a platform that was killed (SIGKILL, a crash): nothing else would stop
 * them. Each running one is listed as `<dataDir>/run/<pid>`; at start, the runtime ends the ones a
 * previous platform left behind, so restarting never leaves two copies of an app running.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The process's command line: /proc on Linux, `ps` elsewhere (macOS); empty when it is gone. */
async function commandLine(pid: number): Promise<string> {
  const proc = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (proc !== null) return proc;
  return promisify(execFile)('ps', ['-o', 'command=', '-p', String(pid)]).then((r) => r.stdout, () => '');
}

export class PidFiles {
  private readonly dir: string;

  /** `markers`: what a runner's command line names (each runner's entry file). */
  constructor(dataDir: string, private readonly markers: readonly string[]) {
    this.dir = join(dataDir, 'run');
  }

  async record(pid: number, appId: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, String(pid)), appId);
  }

  async forget(pid: number): Promise<void> {
    await rm(join(this.dir, String(pid)), { force: true });
  }

  /**
   * Kills the listed processes that still run the runner (the pid may have been reused by something
   * else since: the command line must name the runner). Returns how many it ended.
   */
  async reapStale(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let reaped = 0;
    for (const name of names) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid <= 1) continue;
      const cmdline = await commandLine(pid);
      if (this.markers.some((marker) => cmdline.includes(marker))) {
        try {
          process.kill(pid, 'SIGKILL');
          reaped += 1;
        } catch {
          // Already gone.
        }
      }
      await this.forget(pid);
    }
    return reaped;
  }
}
