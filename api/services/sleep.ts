/**
 * Apps that sleep and wake. An app with no request for its idle timeout (the admin's, 15 minutes by
 * default, or the owner's own for that app; never for an app an admin made always-on) goes to sleep:
 * the runtime stops what it runs (locally the runner process, on Kubernetes zero replicas) and the
 * state is written on the app, so every gateway replica and a restarted platform know it. The first
 * request wakes it: one wake per app however many requests arrive (one per process, and the app's
 * deploy lock across processes), which the gateway waits for. Deploys wake it too. Nothing of a
 * user's is ever deleted for being idle. Activity is measured from real use: requests (the gateway's
 * records), deploys and edits (`lastActivityAt`), and wakes.
 */
import type { Database } from '../db/database.js';
import type { AppDoc } from '../db/documents.js';
import type { TrafficReader, Waker } from '../gateway/index.js';
import type { DesiredApp, Runtime } from '../runtime/types.js';
import type { DeployService } from './deploys.js';
import type { EnvVarService } from './env-vars.js';
import type { DatabaseService } from './databases.js';
import type { SettingsService } from './settings.js';
import type { VersionService } from './versions.js';

export interface SleepDeps {
  readonly db: Database;
  readonly runtime: Runtime;
  readonly settings: SettingsService;
  readonly deploys: DeployService;
  readonly versions: VersionService;
  readonly env: EnvVarService;
  readonly databases: Pick<DatabaseService, 'envFor'>;
  readonly traffic: TrafficReader;
  /** The app's recorded state changed (the owner's directory follows). */
  readonly changed: (appId: string) => Promise<void>;
  readonly log: (message: string) => void;
}

export class SleepService implements Waker {
  private readonly wakes = new Map<string, Promise<void>>();
  private readonly states = new Map<string, { sleeping: boolean; at: number }>();
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly deps: SleepDeps) {}

  /** Whether the app sleeps (read from the app, cached for a second: another replica may have woken it). */
  async isSleeping(appId: string): Promise<boolean> {
    const cached = this.states.get(appId);
    if (cached && Date.now() - cached.at < 1000) return cached.sleeping;
    const app = await this.deps.db.apps.findOne({ _id: appId }, { projection: { sleep: 1 } });
    const sleeping = app?.sleep?.state === 'sleeping' || app?.sleep?.state === 'waking';
    this.states.set(appId, { sleeping, at: Date.now() });
    return sleeping;
  }

  touched(appId: string): void {
    this.lastTouched.set(appId, Date.now());
  }

  private remember(appId: string, sleeping: boolean): void {
    this.states.set(appId, { sleeping, at: Date.now() });
  }

  private async desired(app: AppDoc): Promise<DesiredApp | null> {
    if (app.deploy.version === null) return null;
    const version = await this.deps.versions.find(app._id, app.deploy.version);
    if (!version) return null;
    const servingNumber = app.deploy.servingVersion ?? null;
    const serving = servingNumber === null || servingNumber === version.number ? null : await this.deps.versions.find(app._id, servingNumber);
    const env = { ...this.deps.env.decrypt(app), ...(await this.deps.databases.envFor(app, version.files)) };
    const phase = app.deploy.phase === 'draft' ? 'running' : app.deploy.phase;
    return { app: { id: app._id, ownerId: app.ownerId, name: app.name }, version, servingVersion: serving, env, phase };
  }

  /** Wakes the app if it sleeps; concurrent callers share one wake. */
  wake(appId: string): Promise<void> {
    const pending = this.wakes.get(appId);
    if (pending) return pending;
    const waking = this.deps.deploys.withAppLock(appId, async () => {
      const app = await this.deps.db.apps.findOne({ _id: appId });
      if (!app || app.deletingAt || (app.sleep?.state !== 'sleeping' && app.sleep?.state !== 'waking')) {
        this.remember(appId, false);
        return;
      }
      const desired = await this.desired(app);
      if (!desired) return;
      const began = Date.now();
      await this.deps.db.apps.updateOne({ _id: appId }, { $set: { sleep: { state: 'waking', since: new Date() } } });
      try {
        await this.deps.runtime.wake(desired);
      } catch (error) {
        await this.deps.db.apps.updateOne({ _id: appId }, { $set: { sleep: { state: 'sleeping', since: app.sleep.since } } });
        throw error;
      }
      const lastWakeMs = Date.now() - began;
      await this.deps.db.apps.updateOne({ _id: appId }, { $set: { sleep: { state: 'awake', since: new Date(), lastWakeMs } } });
      this.remember(appId, false);
      await this.deps.changed(appId);
      this.touched(appId);
      this.deps.log(`woke ${appId} in ${lastWakeMs} ms`);
    }, 60_000).finally(() => this.wakes.delete(appId));
    this.wakes.set(appId, waking);
    return waking;
  }

  private async timeoutMs(app: AppDoc): Promise<number | null> {
    if (app.alwaysOn) return null;
    return (app.idleTimeoutSeconds ?? (await this.deps.settings.get()).idleTimeoutMinutes * 60) * 1000;
  }

  /** When the app was last in use: a request, a deploy or edit, a wake. */
  private async lastUsed(app: AppDoc): Promise<number> {
    const minute = await this.deps.traffic.lastTrafficMinute(app._id, app.ownerId);
    return Math.max(
      app.lastActivityAt.getTime(),
      minute === null ? 0 : (minute + 1) * 60_000,
      app.sleep?.state === 'awake' ? app.sleep.since.getTime() : 0,
      this.lastTouched.get(app._id) ?? 0,
    );
  }

  /** Puts every idle app to sleep. Runs on one process at a time (the reconciler's). */
  async sweep(): Promise<string[]> {
    const slept: string[] = [];
    const apps = await this.deps.db.apps.find({ 'deploy.phase': 'running' }, { projection: { env: 0 } }).toArray();
    for (const app of apps) {
      if (app.deletingAt || app.sleep?.state === 'sleeping' || app.sleep?.state === 'waking') continue;
      const timeout = await this.timeoutMs(app);
      if (timeout === null || Date.now() - (await this.lastUsed(app)) < timeout) continue;
      try {
        const went = await this.deps.deploys.withAppLock(app._id, async () => {
          const fresh = await this.deps.db.apps.findOne({ _id: app._id });
          if (!fresh || fresh.deletingAt || fresh.deploy.phase !== 'running' || fresh.sleep?.state === 'sleeping') return false;
          if (Date.now() - (await this.lastUsed(fresh)) < timeout) return false;
          // Written first: a request from here on wakes it (after this lock) instead of finding it gone.
          await this.deps.db.apps.updateOne({ _id: app._id }, { $set: { sleep: { state: 'sleeping', since: new Date() } } });
          this.remember(app._id, true);
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
