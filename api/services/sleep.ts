/**
 * Apps that sleep. An app with no request for its idle timeout (the admin's, 15 minutes by default,
 * or the owner's own for that app; never for an app an admin made always-on) goes to sleep: the
 * runtime stops what it runs (locally the runner process, on Kubernetes zero replicas) and the state
 * is written on the app first, so every gateway replica and a restarted platform know it, and a
 * request from then on wakes it (services/wakes.ts). Nothing of a user's is ever deleted for being
 * idle. Activity is measured from real use: requests (the gateway's records, from every replica),
 * deploys and edits (`lastActivityAt`), and wakes.
 */
import type { Database } from '../db/database.js';
import type { AppDoc } from '../db/documents.js';
import type { TrafficReader } from '../gateway/index.js';
import type { Runtime } from '../runtime/types.js';
import { withAppLock, type LockService } from './locks.js';
import type { SettingsService } from './settings.js';
import { isAsleep, type Wakes } from './wakes.js';

export interface SleepDeps {
  readonly db: Database;
  readonly runtime: Pick<Runtime, 'sleep'>;
  readonly locks: LockService;
  readonly settings: SettingsService;
  readonly wakes: Wakes;
  readonly traffic: TrafficReader;
  /** The app's recorded state changed (the owner's directory follows). */
  readonly changed: (appId: string) => Promise<void>;
  readonly log: (message: string) => void;
}

export class SleepService {
  constructor(private readonly deps: SleepDeps) {}

  private async timeoutMs(app: AppDoc): Promise<number | null> {
    if (app.alwaysOn) return null;
    return (app.idleTimeoutSeconds ?? (await this.deps.settings.get()).idleTimeoutMinutes * 60) * 1000;
  }

  /** When the app was last in use: a request, a deploy or edit, a wake. */
  private async lastUsed(app: AppDoc): Promise<number> {
    const lastRequest = await this.deps.traffic.lastTrafficAt(app._id, app.ownerId);
    return Math.max(
      app.lastActivityAt.getTime(),
      lastRequest ?? 0,
      app.sleep?.state === 'awake' ? app.sleep.since.getTime() : 0,
      this.deps.wakes.lastTouched(app._id),
    );
  }

  /** Puts every idle app to sleep. Runs on one process at a time (the reconciler's). */
  async sweep(): Promise<string[]> {
    const slept: string[] = [];
    const apps = await this.deps.db.apps.find({ 'deploy.phase': 'running' }, { projection: { env: 0 } }).toArray();
    for (const app of apps) {
      if (app.deletingAt || isAsleep(app)) continue;
      const timeout = await this.timeoutMs(app);
      if (timeout === null || Date.now() - (await this.lastUsed(app)) < timeout) continue;
      try {
        const went = await withAppLock(this.deps.locks, app._id, async () => {
          const fresh = await this.deps.db.apps.findOne({ _id: app._id });
          if (!fresh || fresh.deletingAt || fresh.deploy.phase !== 'running' || isAsleep(fresh)) return false;
          if (Date.now() - (await this.lastUsed(fresh)) < timeout) return false;
          // Written first: a request from here on wakes it (after this lock) instead of finding it gone.
          await this.deps.db.apps.updateOne({ _id: app._id }, { $set: { sleep: { state: 'sleeping', since: new Date() } } });
          this.deps.wakes.remember(app._id, true);
          await this.deps.runtime.sleep(app._id);
          await this.deps.changed(app._id);
          return true;
        });
        if (went) slept.push(app._id);
      } catch (error) {
        this.deps.log(`putting ${app._id} to sleep failed: ${String(error)}`);
      }
    }
    return slept;
  }
}
