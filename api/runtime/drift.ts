/**
 * Drift, made visible: wraps a runtime so that when reconciliation (`ensure`) finds an app's workload
 * gone that the records say should run (a Deployment deleted by hand on Kubernetes, processes lost
 * with a restart locally) and starts it again, the app's events say what was repaired and when
 * (reason `Repaired`), next to the runtime's own. Detection compares what the runtime reports before
 * and after `ensure`; repairs are kept in memory, the newest 20 per app.
 */
import type { DesiredApp, Runtime, RuntimeEvent } from './types.js';

const kept = 20;

export function withDriftEvents<R extends Runtime>(runtime: R, now: () => Date = () => new Date()): R {
  const repairs = new Map<string, RuntimeEvent[]>();
  const ensuredOnce = new Set<string>();

  const record = (appId: string, message: string) => {
    const list = repairs.get(appId) ?? [];
    list.unshift({ at: now().toISOString(), type: 'Warning', reason: 'Repaired', message, object: null });
    repairs.set(appId, list.slice(0, kept));
  };

  return {
    ...runtime,
    async ensure(desired: DesiredApp) {
      const appId = desired.app.id;
      const first = !ensuredOnce.has(appId);
      ensuredOnce.add(appId);
      const before = await runtime.status(appId).catch(() => null);
      await runtime.ensure(desired);
      // A sleeping app is meant to have nothing running: converging keeps it asleep, which is no repair.
      if (before?.phase !== 'absent' || desired.sleeping) return;
      const serving = desired.phase === 'failed' ? desired.servingVersion?.number ?? null : desired.version.number;
      if (serving === null) return;
      const found = first ? 'found when the platform started' : 'found by the periodic check';
      record(appId, `Version ${serving} should have been running but nothing of it was (${found}); the platform started it again.`);
    },
    async events(appId: string, limit: number) {
      const own = await runtime.events(appId, limit);
      const mine = repairs.get(appId) ?? [];
      if (mine.length === 0) return own;
      return [...own, ...mine].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, limit);
    },
    async remove(appId: string) {
      repairs.delete(appId);
      ensuredOnce.delete(appId);
      await runtime.remove(appId);
    },
  };
}
