/**
 * Boot and periodic upkeep: seed the built-in templates, resume deletions a crash interrupted, make
 * sure an admin exists, and delete expired sessions, device sign-ins, idempotency keys, rate-limit windows and log tickets (FerretDB has no TTL indexes,
 * so expiry is checked on read and swept here).
 */
import type { AppTemplate } from '../../templates/index.js';
import type { Services } from './index.js';
import { sweepCounters } from './rate-limit.js';

export async function prepare(services: Services, builtins: readonly AppTemplate[]): Promise<{ inserted: number; updated: number; kept: number }> {
  // Revocations in force are loaded before any request is verified, and followed from then on.
  await services.accounts.revocations.start();
  const seeded = await services.templates.seed(builtins);
  await sweep(services);
  return seeded;
}

export async function sweep(services: Services): Promise<void> {
  await services.users.sweep();
  await services.apps.sweep();
  await services.accounts.sweep();
  await services.deviceLogins.sweep();
  await sweepCounters(services.db.counters);
  await services.db.logTickets.deleteMany({ expiresAt: { $lte: new Date() } });
  await services.stamps.sweep();
}

/** Runs `work` every `everyMs`, never two at once; a failure is logged as `<name> failed` and the next run happens anyway. */
export function repeat(name: string, work: () => Promise<void>, everyMs: number, log: (message: string) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work().catch((error: unknown) => log(`${name} failed: ${String(error)}`)).finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Who does the once-per-platform work (api/k8s/lease.ts on Kubernetes); null when this process is the only one. */
export interface Leadership {
  isLeader(): boolean;
  onChange(listener: (leading: boolean) => void): void;
}

/**
 * Runs `duties` (which starts timers and returns how to stop them) while this process leads: at once
 * without leadership, else from each time it takes the lead until it loses it.
 */
export function whileLeading(leadership: Leadership | null, duties: () => () => void): () => void {
  if (!leadership) return duties();
  let stop: (() => void) | null = leadership.isLeader() ? duties() : null;
  leadership.onChange((leading) => {
    if (leading && !stop) stop = duties();
    if (!leading && stop) {
      stop();
      stop = null;
    }
  });
  return () => {
    stop?.();
    stop = null;
  };
}

export function scheduleSweeps(services: Services, everyMs: number, log: (message: string) => void): () => void {
  return repeat('sweep', () => sweep(services), everyMs, log);
}
