/**
 * Boot and periodic upkeep: seed the built-in templates, resume deletions a crash interrupted, make
 * sure an admin exists, and delete expired sessions and idempotency keys (FerretDB has no TTL indexes,
 * so expiry is checked on read and swept here).
 */
import type { AppTemplate } from '../../templates/index.js';
import type { Services } from './index.js';

export async function prepare(services: Services, builtins: readonly AppTemplate[]): Promise<{ inserted: number; updated: number; kept: number }> {
  const seeded = await services.templates.seed(builtins);
  await sweep(services);
  return seeded;
}

export async function sweep(services: Services): Promise<void> {
  await services.users.sweep();
  await services.apps.sweep();
  await services.accounts.sweep();
}

export function scheduleSweeps(services: Services, everyMs: number, log: (message: string) => void): () => void {
  const timer = setInterval(() => {
    sweep(services).catch((error: unknown) => log(`sweep failed: ${String(error)}`));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
