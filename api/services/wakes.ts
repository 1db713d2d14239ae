/**
 * Waking a sleeping app, as every gateway replica and the platform do it: whether an app sleeps is
 * read from the app (cached for a second: another process may have woken it), and a wake runs once
 * per app however many requests arrive (one per process, and the app's lock across processes). The
 * runtime's part is given: locally a runner restarted from the app's records, on Kubernetes one
 * replica through the scale subresource (what a gateway process can do with no secrets of the apps).
 */
import type { Database } from '../db/database.js';
import type { AppDoc } from '../db/documents.js';
import type { Waker } from '../gateway/index.js';
import { withAppLock, type LockService } from './locks.js';

export interface WakeDeps {
  readonly db: Database;
  readonly locks: LockService;
  /** Brings the app's runtime back; resolves once it serves. */
  readonly wakeRuntime: (app: AppDoc) => Promise<void>;
  /** Hands a deployed app the runtime does not have to it (the reconcile's step for one app); false when the records hold nothing to run. */
  readonly restore?: (appId: string) => Promise<boolean>;
  /** The app's recorded state changed (the owner's directory follows). */
  readonly changed: (appId: string) => Promise<void>;
  readonly log: (message: string) => void;
}

export const isAsleep = (app: Pick<AppDoc, 'sleep'>): boolean => app.sleep?.state === 'sleeping' || app.sleep?.state === 'waking';

/**
 * Whether an app of the tenant is awake or waking (deployed, not asleep, not bound to no database):
 * its tenant's database server must run (api/databases/ferretdb-kubernetes.ts sleeps it otherwise).
 */
export async function tenantHasAwakeApp(db: Database, ownerId: string): Promise<boolean> {
  const apps = await db.apps.find({ ownerId }, { projection: { deploy: 1, sleep: 1, database: 1, deletingAt: 1 } }).toArray();
  return apps.some((app) => !app.deletingAt && app.deploy.version !== null && app.deploy.phase !== 'draft'
    && app.database?.mode !== 'none' && app.sleep?.state !== 'sleeping');
}

export class Wakes implements Waker {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly restoring = new Map<string, Promise<boolean>>();
  private readonly states = new Map<string, { sleeping: boolean; at: number }>();
  private readonly touches = new Map<string, number>();

  constructor(private readonly deps: WakeDeps) {}

  async isSleeping(appId: string): Promise<boolean> {
    const cached = this.states.get(appId);
    if (cached && Date.now() - cached.at < 1000) return cached.sleeping;
    const app = await this.deps.db.apps.findOne({ _id: appId }, { projection: { sleep: 1 } });
    const sleeping = app ? isAsleep(app) : false;
    this.remember(appId, sleeping);
    return sleeping;
  }

  remember(appId: string, sleeping: boolean): void {
    this.states.set(appId, { sleeping, at: Date.now() });
  }

  touched(appId: string): void {
    this.touches.set(appId, Date.now());
  }

  /** When a request last reached the app through this process (0: never). */
  lastTouched(appId: string): number {
    return this.touches.get(appId) ?? 0;
  }

  /** Brings back a deployed app the runtime does not have yet (after a restart); concurrent callers share one. */
  restore(appId: string): Promise<boolean> {
    const running = this.restoring.get(appId);
    if (running) return running;
    const restoring = (this.deps.restore?.(appId) ?? Promise.resolve(false)).finally(() => this.restoring.delete(appId));
    this.restoring.set(appId, restoring);
    return restoring;
  }

  /** Wakes the app if it sleeps; concurrent callers share one wake. */
  wake(appId: string): Promise<void> {
    const running = this.pending.get(appId);
    if (running) return running;
    const waking = withAppLock(this.deps.locks, appId, () => this.wakeLocked(appId), 60_000)
      .finally(() => this.pending.delete(appId));
    this.pending.set(appId, waking);
    return waking;
  }

  private async wakeLocked(appId: string): Promise<void> {
    const app = await this.deps.db.apps.findOne({ _id: appId });
    if (!app || app.deletingAt || !isAsleep(app)) {
      this.remember(appId, false);
      return;
    }
    const began = Date.now();
    await this.deps.db.apps.updateOne({ _id: appId }, { $set: { sleep: { state: 'waking', since: new Date() } } });
    try {
      await this.deps.wakeRuntime(app);
    } catch (error) {
      await this.deps.db.apps.updateOne({ _id: appId }, { $set: { sleep: { state: 'sleeping', since: app.sleep?.since ?? new Date() } } });
      throw error;
    }
    const lastWakeMs = Date.now() - began;
    await this.deps.db.apps.updateOne({ _id: appId }, { $set: { sleep: { state: 'awake', since: new Date(), lastWakeMs } } });
    this.remember(appId, false);
    this.touched(appId);
    await this.deps.changed(appId);
    this.deps.log(`woke ${appId} in ${lastWakeMs} ms`);
  }
}
