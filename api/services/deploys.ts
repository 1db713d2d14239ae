/**
 * Deploy = validate the draft, publish it as an immutable version (unless its content is already the
 * newest version), hand version and env to the runtime, and follow the runtime's progress to record
 * the outcome. Serialized per app by a lock. Deploying unchanged content with unchanged env is a no-op;
 * an env-only change redeploys the same version. Rollback publishes the chosen version's content as a
 * new version.
 */
import type { Database } from '../db/database.js';
import type { AppDoc, DeployState, VersionDoc } from '../db/documents.js';
import { ConflictError, InputError, UnavailableError } from '../errors.js';
import type { DesiredApp, Runtime } from '../runtime/types.js';
import type { DraftService } from './drafts.js';
import type { EnvVarService } from './env-vars.js';
import { toRecord } from './files.js';
import type { DatabaseService } from './databases.js';
import { withAppLock, type LockService } from './locks.js';
import type { ValidationService } from './validation.js';
import type { VersionService } from './versions.js';

export interface DeployResult {
  /** False when nothing changed (same content, same env, already running or deploying). */
  readonly changed: boolean;
  readonly version: number;
  readonly status: DeployState;
}

export interface ReconcileOptions {
  /** Apps converged at once. @default 4 */
  readonly concurrency?: number;
  /** Wait for each app to answer before the next (the local runtime at boot). @default false */
  readonly settle?: boolean;
  /** The longest wait for one app to settle. @default 60_000 */
  readonly settleMs?: number;
  /** How many deployed apps the pass will converge. */
  readonly onTotal?: (total: number) => void;
  /** One app was handled (converged, skipped or failed). */
  readonly onDone?: (appId: string) => void;
}

export interface DeployDeps {
  readonly db: Database;
  readonly runtime: Runtime;
  readonly drafts: DraftService;
  readonly versions: VersionService;
  readonly env: EnvVarService;
  /** The app's database binding becomes PLATFORM_MONGO_URI in what the runtime gets. */
  readonly databases: Pick<DatabaseService, 'envFor'>;
  readonly validation: ValidationService;
  readonly locks: LockService;
  readonly log: (message: string) => void;
  /** Called after the app's recorded deploy state changed (the owner's directory follows). */
  readonly changed: (appId: string) => Promise<void>;
}

/** What of an app's record its desired state is made from (with its version's files and the database's credentials, which change only with these or with a deploy). */
const fingerprinted = { _id: 1, ownerId: 1, name: 1, deploy: 1, env: 1, envRevision: 1, database: 1, sleep: 1, deletingAt: 1 } as const;

function fingerprint(app: Pick<AppDoc, 'ownerId' | 'name' | 'deploy' | 'env' | 'envRevision' | 'database' | 'sleep' | 'deletingAt'>): string {
  return JSON.stringify([app.ownerId, app.name, app.deploy, app.env, app.envRevision, app.database ?? null, app.sleep?.state ?? 'awake', app.deletingAt ?? null]);
}

/** Whether the records hold something to run: a deployed version, and no deletion under way. */
const runnable = (app: Pick<AppDoc, 'deploy' | 'deletingAt'>): boolean => !app.deletingAt && app.deploy.version !== null && app.deploy.phase !== 'draft';

export class DeployService {
  /** Progress followers per app; a newer rollout's follower replaces the older one. */
  private readonly followers = new Map<string, AbortController>();
  /** Each app's record as it was when this process last ensured it (see `reconcile`). */
  private readonly ensuredAs = new Map<string, string>();

  constructor(private readonly deps: DeployDeps) {}

  private serialized<T>(appId: string, work: () => Promise<T>, waitMs = 30_000): Promise<T> {
    return withAppLock(this.deps.locks, appId, work, waitMs);
  }

  private async fresh(appId: string): Promise<AppDoc> {
    const app = await this.deps.db.apps.findOne({ _id: appId });
    if (!app || app.deletingAt) throw new ConflictError('The app is being deleted.');
    return app;
  }

  async deploy(appId: string, draftRevision?: number): Promise<DeployResult> {
    return this.serialized(appId, async () => {
      const app = await this.fresh(appId);
      const draft = await this.deps.drafts.latest(app);
      if (draftRevision !== undefined && draftRevision !== draft.revision) {
        throw new ConflictError(`The draft is at revision ${draft.revision}, not ${draftRevision}; reload before deploying.`, { details: { currentRevision: draft.revision } });
      }
      const result = await this.deps.validation.validate({ files: toRecord(draft.files), entrypoint: draft.entrypoint });
      if (!result.valid) {
        const errors = result.findings.filter((f) => f.severity === 'error');
        throw new InputError(`The draft has ${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before it can deploy: ${errors[0]?.file}:${errors[0]?.line} ${errors[0]?.message}`, { details: { findings: result.findings } });
      }
      const latest = await this.deps.versions.latest(app);
      const sameContent = latest?.contentHash === draft.contentHash;
      if (sameContent && latest && this.isCurrent(app, latest.number)) return { changed: false, version: latest.number, status: app.deploy };
      const version = sameContent && latest
        ? latest
        : await this.deps.versions.publish(app, { files: draft.files, entrypoint: draft.entrypoint, framework: result.framework }, 'deploy');
      return this.start(app, version);
    });
  }

  async rollback(appId: string, number: number): Promise<DeployResult> {
    return this.serialized(appId, async () => {
      const app = await this.fresh(appId);
      const chosen = await this.deps.versions.get(appId, number);
      const version = await this.deps.versions.publish(app, { files: chosen.files, entrypoint: chosen.entrypoint, framework: chosen.framework }, 'rollback', number);
      // The editor shows what now runs: the rolled-back content becomes the newest draft too.
      const draft = await this.deps.drafts.latest(app);
      await this.deps.drafts.save(app, draft.revision, chosen.files, chosen.entrypoint);
      return this.start(app, version);
    });
  }

  /** After an env change: the same code version, the new env (a no-op before the first deploy). */
  async redeployEnv(appId: string): Promise<DeployResult | null> {
    const app = await this.fresh(appId);
    if (app.deploy.version === null) return null;
    const version = await this.deps.versions.get(appId, app.deploy.version);
    return this.start(app, version);
  }

  /** Same version and env revision, and not failed: nothing to do. */
  private isCurrent(app: AppDoc, version: number): boolean {
    return app.deploy.version === version && app.deploy.envRevision === app.envRevision && app.deploy.phase !== 'failed';
  }

  /** Env changes run under the same per-app lock as deploys. */
  withAppLock<T>(appId: string, work: () => Promise<T>, waitMs?: number): Promise<T> {
    return this.serialized(appId, work, waitMs);
  }

  private async start(app: AppDoc, version: VersionDoc): Promise<DeployResult> {
    const status: DeployState = {
      phase: 'deploying', version: version.number, servingVersion: app.deploy.servingVersion ?? null, envRevision: app.envRevision, message: null, file: null, line: null, updatedAt: new Date(),
    };
    // A deploy runs the app: it is awake from here on.
    await this.deps.db.apps.updateOne({ _id: app._id }, { $set: { deploy: status, deployedHash: version.contentHash, framework: version.framework, lastActivityAt: new Date(), sleep: { state: 'awake', since: new Date() } } });
    await this.deps.changed(app._id);
    const previous = this.followers.get(app._id);
    previous?.abort();
    const follower = new AbortController();
    this.followers.set(app._id, follower);
    try {
      const env = { ...this.deps.env.decrypt(app), ...(await this.deps.databases.envFor(app, version.files)) };
      await this.deps.runtime.deploy({ id: app._id, ownerId: app.ownerId, name: app.name }, version, env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.record(app._id, version.number, app.envRevision, { phase: 'failed', message });
      throw error instanceof UnavailableError ? error : new UnavailableError(`The runtime did not accept the deploy: ${message}`, { cause: error });
    }
    void this.follow(app._id, version.number, app.envRevision, follower.signal);
    return { changed: true, version: version.number, status };
  }

  private async follow(appId: string, version: number, envRevision: number, signal: AbortSignal): Promise<void> {
    try {
      for await (const event of this.deps.runtime.progress(appId, signal)) {
        if (event.version !== version) continue;
        if (event.phase === 'ready') return await this.record(appId, version, envRevision, { phase: 'running', message: null });
        if (event.phase === 'failed') {
          return await this.record(appId, version, envRevision, {
            phase: 'failed', message: event.failure?.message ?? event.message, file: event.failure?.file ?? null, line: event.failure?.line ?? null,
          });
        }
      }
    } catch (error) {
      if (!signal.aborted) this.deps.log(`following the deploy of ${appId} v${version} failed: ${String(error)}`);
    } finally {
      if (this.followers.get(appId)?.signal === signal) this.followers.delete(appId);
    }
  }

  private async record(appId: string, version: number, envRevision: number, outcome: Partial<DeployState> & Pick<DeployState, 'phase'>): Promise<void> {
    const before = await this.deps.db.apps.findOne({ _id: appId }, { projection: { deploy: 1 } });
    const servingVersion = outcome.phase === 'running' ? version : (before?.deploy.servingVersion ?? null);
    const status: DeployState = { version, servingVersion, envRevision, message: null, file: null, line: null, updatedAt: new Date(), ...outcome };
    // Only the rollout still current may write its outcome.
    const result = await this.deps.db.apps.updateOne({ _id: appId, 'deploy.version': version, 'deploy.envRevision': envRevision }, { $set: { deploy: status } });
    if (result.modifiedCount > 0) await this.deps.changed(appId);
  }

  /**
   * Desired and actual state converge: every deployed app is handed to the runtime's `ensure` (under
   * the app's deploy lock, from a fresh read, so a deploy running meanwhile is never undone), a
   * rollout that was in flight is followed to its outcome, and whatever the runtime has of apps that
   * no longer exist is removed. Publishes nothing. At boot (after a restart or a crash mid-deploy) and
   * periodically (drift: an object deleted by hand comes back).
   */
  async reconcile(options: ReconcileOptions = {}): Promise<{ ensured: number; removed: string[]; problems: string[] }> {
    const concurrency = options.concurrency ?? 4;
    // Listed before the records are read: an app created in between has nothing in the runtime yet.
    const present = await this.deps.runtime.appIds();
    const apps = await this.deps.db.apps.find({ 'deploy.version': { $ne: null } }, { projection: fingerprinted }).toArray();
    options.onTotal?.(apps.length);
    const known = new Set(apps.map((a) => a._id));
    const problems: string[] = [];
    let ensured = 0;
    // An app whose records are as they were at its last ensure, with everything that ensure put in
    // place still there (the runtime's watches say so), is skipped: no lock, no read, no write.
    const queue: string[] = [];
    for (const app of apps) {
      const print = fingerprint(app);
      if (app.deploy.phase !== 'deploying' && this.ensuredAs.get(app._id) === print && this.deps.runtime.unchanged?.(app._id)) options.onDone?.(app._id);
      else queue.push(app._id);
    }
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let appId = queue.shift(); appId; appId = queue.shift()) {
        try {
          if (await this.ensureOne(appId)) {
            ensured += 1;
            // The next app starts once this one answers (or failed, or a minute passed): at most
            // `concurrency` cold starts share the cores, so the first apps answer soonest.
            if (options.settle) await this.settled(appId, options.settleMs ?? 60_000);
          }
        } catch (error) {
          problems.push(`${appId}: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          options.onDone?.(appId);
        }
      }
    }));
    const removed: string[] = [];
    for (const appId of present.filter((id) => !known.has(id))) {
      try {
        await this.deps.runtime.remove(appId);
        this.ensuredAs.delete(appId);
        removed.push(appId);
      } catch (error) {
        problems.push(`${appId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { ensured, removed, problems };
  }

  /** Resolves when the app's current rollout is ready, failed or asleep, or after `ms`. */
  private async settled(appId: string, ms: number): Promise<void> {
    const signal = AbortSignal.timeout(ms);
    try {
      for await (const event of this.deps.runtime.progress(appId, signal)) void event;
    } catch {
      // Timed out or the runtime lost the app: the pass moves on; the app's own status tells.
    }
  }

  /** What should run for the app, from its records (null: nothing deployed, or its version is gone). */
  async desiredOf(app: AppDoc): Promise<DesiredApp | null> {
    if (app.deploy.version === null || app.deploy.phase === 'draft') return null;
    const version = await this.deps.versions.find(app._id, app.deploy.version);
    if (!version) return null;
    const servingNumber = app.deploy.servingVersion ?? null;
    const serving = servingNumber === null || servingNumber === version.number ? null : await this.deps.versions.find(app._id, servingNumber);
    const sleeping = app.sleep?.state === 'sleeping' || app.sleep?.state === 'waking';
    // A sleeping app's reconcile must not wake its tenant's database server (its wake does).
    const env = { ...this.deps.env.decrypt(app), ...(await this.deps.databases.envFor(app, version.files, { provision: !sleeping })) };
    return { app: { id: app._id, ownerId: app.ownerId, name: app.name }, version, servingVersion: serving, env, phase: app.deploy.phase, sleeping };
  }

  /**
   * The reconcile's step for one app, ahead of the pass: a request for it arrived before the pass
   * reached it. An app with nothing deployed is answered from one read, without taking its lock.
   */
  async restore(appId: string): Promise<boolean> {
    const app = await this.deps.db.apps.findOne({ _id: appId }, { projection: { deploy: 1, deletingAt: 1 } });
    return app !== null && runnable(app) && this.ensureOne(appId);
  }

  private ensureOne(appId: string): Promise<boolean> {
    return this.serialized(appId, async () => {
      const app = await this.deps.db.apps.findOne({ _id: appId });
      if (!app || !runnable(app)) return false;
      const desired = await this.desiredOf(app);
      if (!desired) throw new Error(`version ${app.deploy.version} is no longer kept`);
      await this.deps.runtime.ensure(desired);
      this.ensuredAs.set(appId, fingerprint(app));
      if (desired.phase === 'deploying' && !this.followers.has(app._id)) {
        const follower = new AbortController();
        this.followers.set(app._id, follower);
        void this.follow(app._id, desired.version.number, app.deploy.envRevision, follower.signal);
      }
      return true;
    });
  }

  stopFollowing(appId: string): void {
    this.followers.get(appId)?.abort();
    this.followers.delete(appId);
  }

  close(): void {
    for (const follower of this.followers.values()) follower.abort();
    this.followers.clear();
  }
}
