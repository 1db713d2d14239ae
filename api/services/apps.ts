/**
 * Apps: every lookup is by `_id` and then checked against the owner, so another tenant's app is
 * indistinguishable from one that does not exist (404). Listing reads the owner's directory (kept in
 * listing order in memory and checked against the owner's version stamp on every read, so it is
 * coherent across API replicas), never a scan of every tenant's apps, and costs O(page). Create honours an idempotency key (a
 * double-clicked Create makes one app); deletion takes the app out of the directory and marks it
 * first, so it disappears at once and the cascade (runtime, drafts, versions, request log) can be
 * resumed by the sweep if the process dies halfway.
 */
import { checkProject, defaultRules, languageOf, type Framework, type Language } from '../../validation/index.js';
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { AppDatabaseBinding, AppDoc, DeployPhase, DraftDoc, StoredFile } from '../db/documents.js';
import { appIdPattern, newAppId } from '../db/ids.js';
import { InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { Runtime } from '../runtime/types.js';
import type { Principal } from './accounts.js';
import type { DatabaseService } from './databases.js';
import type { DeployService } from './deploys.js';
import type { TrafficReader } from '../gateway/index.js';
import { Directory } from './directory.js';
import type { Stamps } from './stamps.js';
import type { DraftService } from './drafts.js';
import { maskEnv, type EnvVarInput, type EnvVarService, type MaskedEnvVar } from './env-vars.js';
import { contentHash, toRecord, toStored } from './files.js';
import type { SettingsService } from './settings.js';
import type { TemplateService } from './templates.js';

export interface AppSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Fixed at creation: which runner runs it. */
  readonly language: Language;
  readonly framework: Framework | null;
  readonly url: string;
  readonly status: { phase: DeployPhase; version: number | null; servingVersion: number | null; message: string | null; file: string | null; line: number | null; updatedAt: string };
  readonly draftRevision: number;
  readonly latestVersion: number;
  readonly hasUnpublishedChanges: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastActivityAt: string;
  readonly sleeping: boolean;
}

export interface AppDetail extends AppSummary {
  readonly draft: { revision: number; entrypoint: string; files: Record<string, string>; updatedAt: string };
  readonly env: MaskedEnvVar[];
  /** Which of the owner's databases the app gets as PLATFORM_MONGO_URI. */
  readonly database: AppDatabaseBinding;
}

/** What an owner's directory holds per app: the app minus its env values and bookkeeping (enough for its detail). */
export type AppEntry = Omit<AppDoc, '_id' | 'ownerId' | 'env' | 'deletingAt' | 'templateId' | 'envRevision'> & { id: string; env: MaskedEnvVar[] };

export interface CreateAppInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly templateId?: string | undefined;
  readonly files?: Record<string, string> | undefined;
  readonly entrypoint?: string | undefined;
  /** Fixed at creation. @default the template's, else the entrypoint's, else python */
  readonly language?: Language | undefined;
  readonly env?: EnvVarInput[] | undefined;
  readonly database?: AppDatabaseBinding | undefined;
}

export interface AppListQuery {
  readonly search?: string | undefined;
  readonly status?: DeployPhase | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

const blankApps: Record<Language, Record<string, string>> = {
  python: { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"message": "Hello from my new app"}\n' },
  typescript: { 'app.ts': "import { Hono } from 'hono';\n\nconst app = new Hono();\n\napp.get('/', (c) => c.json({ message: 'Hello from my new app' }));\n\nexport default app;\n" },
};

/** With no entrypoint given: the first of these among the files, else the language's own. */
const entrypointCandidates = ['app.py', 'app.ts', 'main.ts'];
const defaultEntrypoints: Record<Language, string> = { python: 'app.py', typescript: 'app.ts' };

/** Project-level problems (paths, sizes, extensions, encoding, an entrypoint of another language) block storing anything at all. */
export function structuralProblems(files: Record<string, string>, entrypoint: string, rules = defaultRules, language?: Language): void {
  const { findings } = checkProject({ files, entrypoint, language }, rules);
  if (findings.length > 0) {
    throw new InputError(`The project cannot be stored: ${findings.map((f) => `${f.file}: ${f.message}`).join(' ')}`, { details: { findings } });
  }
}

export function toEntry(app: AppDoc): AppEntry {
  const { _id, ownerId: _owner, env, deletingAt: _deleting, templateId: _template, envRevision: _envRevision, ...rest } = app;
  return { ...rest, id: _id, env: maskEnv(env) };
}

const byRecency = (a: AppEntry, b: AppEntry) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : -1);

export interface AppDeps {
  readonly db: Database;
  readonly runtime: Runtime;
  readonly drafts: DraftService;
  readonly deploys: DeployService;
  readonly env: EnvVarService;
  readonly databases: DatabaseService;
  readonly traffic: Pick<TrafficReader, 'removeApp'>;
  readonly settings: SettingsService;
  readonly templates: () => TemplateService;
  readonly stamps: Stamps;
}

export class AppService {
  readonly directory: Directory<AppEntry>;

  constructor(private readonly deps: AppDeps) {
    this.directory = new Directory(deps.stamps, 'apps', {
      all: async (ownerId) => (await deps.db.apps.find({ ownerId, deletingAt: { $exists: false } }).toArray()).map(toEntry),
      one: async (ownerId, id) => {
        const app = await deps.db.apps.findOne({ _id: id });
        return app && app.ownerId === ownerId && !app.deletingAt ? toEntry(app) : null;
      },
    }, byRecency);
  }

  summaryOf(app: AppEntry): AppSummary {
    return {
      id: app.id, name: app.name, description: app.description, language: app.language ?? 'python', framework: app.framework, url: this.deps.runtime.url(app.id),
      status: { phase: app.deploy.phase, version: app.deploy.version, servingVersion: app.deploy.servingVersion ?? null, message: app.deploy.message, file: app.deploy.file, line: app.deploy.line, updatedAt: app.deploy.updatedAt.toISOString() },
      draftRevision: app.draftRevision, latestVersion: app.latestVersion,
      hasUnpublishedChanges: app.deployedHash !== app.draftHash,
      createdAt: app.createdAt.toISOString(), updatedAt: app.updatedAt.toISOString(), lastActivityAt: app.lastActivityAt.toISOString(),
      sleeping: app.sleep?.state === 'sleeping' || app.sleep?.state === 'waking',
    };
  }

  detail(app: AppDoc | AppEntry, draft: DraftDoc): AppDetail {
    const entry = '_id' in app ? toEntry(app) : app;
    return {
      ...this.summaryOf(entry),
      draftRevision: draft.revision,
      hasUnpublishedChanges: entry.deployedHash !== draft.contentHash,
      draft: { revision: draft.revision, entrypoint: draft.entrypoint, files: toRecord(draft.files), updatedAt: draft.createdAt.toISOString() },
      env: entry.env,
      database: this.deps.databases.bindingOf(entry),
    };
  }

  /** The caller's app, or NotFoundError (also for malformed ids and other tenants' apps). */
  async owned(principal: Principal, appId: string): Promise<AppDoc> {
    const app = appIdPattern.test(appId) ? await this.deps.db.apps.findOne({ _id: appId }) : null;
    if (!app || app.ownerId !== principal.userId || app.deletingAt) throw new NotFoundError('No such app.');
    return app;
  }

  /** Tells every replica's directory of the owner that the app changed (after any change to it). */
  async reindex(appId: string, ownerId?: string): Promise<void> {
    const owner = ownerId ?? (await this.deps.db.apps.findOne({ _id: appId }, { projection: { ownerId: 1 } }))?.ownerId;
    if (owner) await this.directory.changed(owner, appId);
  }

  async create(principal: Principal, input: CreateAppInput, idempotencyKey?: string): Promise<{ app: AppDetail; replayed: boolean }> {
    const appId = newAppId();
    if (idempotencyKey) {
      const claimed = await this.claim(principal.userId, idempotencyKey, appId);
      if (claimed !== appId) return { app: await this.awaitCreated(principal, claimed), replayed: true };
    }
    try {
      return { app: await this.insert(principal, appId, input), replayed: false };
    } catch (error) {
      // A failed create must not leave the key naming an app that will never exist.
      if (idempotencyKey) await this.deps.db.idempotency.deleteOne({ _id: `${principal.userId}:${idempotencyKey}`, appId });
      throw error;
    }
  }

  private async insert(principal: Principal, appId: string, input: CreateAppInput): Promise<AppDetail> {
    const settings = await this.deps.settings.get();
    if ((await this.directory.view(principal.userId)).size >= settings.maxAppsPerUser) {
      throw new NotAllowedError(`You have ${settings.maxAppsPerUser} apps, the most this platform allows; delete one first.`);
    }
    let files = input.files;
    let entrypoint = input.entrypoint ?? (files ? entrypointCandidates.find((name) => name in (files ?? {})) : undefined);
    let framework: Framework | null = null;
    let templateId: string | null = null;
    if (input.templateId) {
      const template = await this.deps.templates().get(principal, input.templateId);
      files = template.files;
      entrypoint = template.entrypoint;
      framework = template.framework;
      templateId = template.id;
    }
    const language: Language = input.language ?? (entrypoint ? languageOf({ entrypoint }) : 'python');
    files ??= blankApps[language];
    entrypoint ??= defaultEntrypoints[language];
    if (input.language && templateId && languageOf({ entrypoint }) !== input.language) {
      throw new InputError(`The template is a ${languageOf({ entrypoint })} app; create it as one, or pick a ${input.language} template.`, { details: { field: 'language' } });
    }
    structuralProblems(files, entrypoint, await this.deps.settings.rules(), language);
    const stored: StoredFile[] = toStored(files);
    const now = new Date();
    const app: AppDoc = {
      _id: appId, ownerId: principal.userId, name: input.name.trim(), nameKey: input.name.trim().toLowerCase(), description: input.description?.trim() ?? '',
      language, framework, createdAt: now, updatedAt: now, lastActivityAt: now, draftRevision: 1, draftHash: contentHash(stored, entrypoint), latestVersion: 0, deployedHash: null,
      deploy: { phase: 'draft', version: null, envRevision: 0, message: null, file: null, line: null, updatedAt: now },
      env: [], envRevision: 0, templateId,
      database: await this.deps.databases.checkBinding(principal.userId, input.database ?? { mode: 'auto' }),
    };
    app.env = this.deps.env.build(app, input.env ?? []);
    // Draft first: an app document never exists without its draft.
    const draft = await this.deps.drafts.insertFirst(app, stored, entrypoint);
    await this.deps.db.apps.insertOne(app);
    await this.directory.changed(app.ownerId, app._id);
    return this.detail(app, draft);
  }

  /** Records `appId` under the key; returns the app id the key already names if another request won. */
  private async claim(userId: string, key: string, appId: string): Promise<string> {
    const now = new Date();
    const id = `${userId}:${key}`;
    try {
      await this.deps.db.idempotency.insertOne({ _id: id, userId, appId, createdAt: now, expiresAt: new Date(now.getTime() + 86_400_000) });
      return appId;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await this.deps.db.idempotency.findOne({ _id: id });
    if (existing && existing.expiresAt > now) return existing.appId;
    // An expired key is claimed again (expiry is checked on read; the sweep deletes the rest).
    await this.deps.db.idempotency.deleteOne({ _id: id, expiresAt: { $lte: now } });
    return this.claim(userId, key, appId);
  }

  /** The app created under a replayed key; the first request may still be writing it. */
  private async awaitCreated(principal: Principal, appId: string): Promise<AppDetail> {
    for (let i = 0; i < 100; i++) {
      const app = await this.deps.db.apps.findOne({ _id: appId });
      if (app && app.ownerId === principal.userId) return this.detail(app, await this.deps.drafts.latest(app));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new NotFoundError('The app created with this idempotency key did not appear; retry without the key.');
  }

  async list(principal: Principal, query: AppListQuery): Promise<{ apps: AppSummary[]; nextCursor: string | null }> {
    const entries = await this.directory.view(principal.userId);
    let start = 0;
    if (query.cursor) {
      const [at, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
      const time = Number(at);
      if (!id || !/^\d{1,15}$/.test(at ?? '') || !Number.isFinite(time)) throw new InputError('The cursor is not one this API returned.');
      // The first entry past the cursor's (updatedAt, id): stable whatever was written meanwhile.
      start = entries.firstWhere((a) => a.updatedAt.getTime() < time || (a.updatedAt.getTime() === time && a.id < id));
    }
    const search = query.search?.trim().toLowerCase();
    const { status } = query;
    const keep = search || status ? (a: AppEntry) => (!search || a.nameKey.includes(search)) && (!status || a.deploy.phase === status) : undefined;
    const { page, more } = entries.walk(start, query.limit, keep);
    const last = page.at(-1);
    return {
      apps: page.map((a) => this.summaryOf(a)),
      nextCursor: more && last ? Buffer.from(`${last.updatedAt.getTime()}|${last.id}`).toString('base64url') : null,
    };
  }

  /**
   * From the owner's directory, which every read brings up to date with every replica's writes (one
   * probe, shared by concurrent requests), and the draft, an immutable document cached by `_id`: an
   * app's detail costs no more than a page of the list. Another tenant's app is not in the directory.
   */
  async get(principal: Principal, appId: string): Promise<AppDetail> {
    const entry = appIdPattern.test(appId) ? (await this.directory.view(principal.userId)).get(appId) : undefined;
    if (!entry) throw new NotFoundError('No such app.');
    return this.detail(entry, await this.deps.drafts.current({ _id: entry.id, draftRevision: entry.draftRevision }));
  }

  async update(principal: Principal, appId: string, patch: { name?: string | undefined; description?: string | undefined }): Promise<AppDetail> {
    const app = await this.owned(principal, appId);
    const set: Partial<AppDoc> = { updatedAt: new Date() };
    if (patch.name !== undefined) Object.assign(set, { name: patch.name.trim(), nameKey: patch.name.trim().toLowerCase() });
    if (patch.description !== undefined) set.description = patch.description.trim();
    await this.deps.db.apps.updateOne({ _id: app._id }, { $set: set });
    await this.reindex(app._id, app.ownerId);
    return this.get(principal, appId);
  }

  async saveDraft(principal: Principal, appId: string, input: { revision: number; files: Record<string, string>; entrypoint: string }): Promise<DraftDoc> {
    const app = await this.owned(principal, appId);
    // The language is fixed at creation: the entrypoint stays one its runner imports.
    structuralProblems(input.files, input.entrypoint, await this.deps.settings.rules(), app.language ?? 'python');
    const draft = await this.deps.drafts.save(app, input.revision, toStored(input.files), input.entrypoint);
    await this.reindex(app._id, app.ownerId);
    return draft;
  }

  /** Binds the app to one of its owner's databases (or none, or `auto`); a deployed app is redeployed with it. */
  async setDatabase(principal: Principal, appId: string, binding: AppDatabaseBinding): Promise<{ database: AppDatabaseBinding; redeployed: boolean }> {
    const owned = await this.owned(principal, appId);
    const checked = await this.deps.databases.checkBinding(principal.userId, binding);
    const result = await this.deps.deploys.withAppLock(owned._id, async () => {
      const app = await this.owned(principal, appId);
      await this.deps.db.apps.updateOne({ _id: app._id }, { $set: { database: checked, envRevision: app.envRevision + 1, updatedAt: new Date() } });
      const redeployed = app.deploy.version !== null;
      if (redeployed) await this.deps.deploys.redeployEnv(app._id);
      return { database: checked, redeployed };
    });
    await this.reindex(owned._id, owned.ownerId);
    return result;
  }

  /** The same version with a new env revision (its database's password changed). */
  async redeployWithNewEnv(appId: string): Promise<void> {
    await this.deps.deploys.withAppLock(appId, async () => {
      const app = await this.deps.db.apps.findOne({ _id: appId });
      if (!app || app.deletingAt || app.deploy.version === null) return;
      await this.deps.db.apps.updateOne({ _id: appId }, { $set: { envRevision: app.envRevision + 1 } });
      await this.deps.deploys.redeployEnv(appId);
    });
  }

  async replaceEnv(principal: Principal, appId: string, vars: EnvVarInput[]): Promise<{ env: MaskedEnvVar[]; redeployed: boolean }> {
    const owned = await this.owned(principal, appId);
    const result = await this.deps.deploys.withAppLock(owned._id, async () => {
      const app = await this.owned(principal, appId);
      const env = this.deps.env.build(app, vars);
      const envRevision = app.envRevision + 1;
      await this.deps.db.apps.updateOne({ _id: app._id }, { $set: { env, envRevision, updatedAt: new Date() } });
      const redeployed = app.deploy.version !== null;
      if (redeployed) await this.deps.deploys.redeployEnv(app._id);
      return { env: this.deps.env.masked({ ...app, env }), redeployed };
    });
    await this.reindex(owned._id, owned.ownerId);
    return result;
  }

  async remove(principal: Principal, appId: string): Promise<void> {
    const app = await this.owned(principal, appId);
    await this.deps.db.apps.updateOne({ _id: app._id }, { $set: { deletingAt: new Date() } });
    await this.directory.changed(app.ownerId, app._id);
    await this.cascade(app._id);
  }

  /** Everything of an app, runtime first; safe to run again. */
  async cascade(appId: string): Promise<void> {
    this.deps.deploys.stopFollowing(appId);
    await this.deps.runtime.remove(appId);
    await Promise.all([
      this.deps.db.drafts.deleteMany({ appId }),
      this.deps.db.versions.deleteMany({ appId }),
      this.deps.traffic.removeApp(appId),
      this.deps.db.idempotency.deleteMany({ appId }),
      this.deps.db.locks.deleteOne({ _id: `deploy:${appId}` }),
    ]);
    await this.deps.db.apps.deleteOne({ _id: appId });
  }

  async clone(principal: Principal, appId: string, name?: string): Promise<AppDetail> {
    const source = await this.owned(principal, appId);
    const draft = await this.deps.drafts.latest(source);
    const cloneName = name ?? `${source.name.replace(/ copy$/, '')} copy`;
    const { app } = await this.create(principal, { name: cloneName, description: source.description, files: toRecord(draft.files), entrypoint: draft.entrypoint, language: source.language ?? 'python' });
    const env = this.deps.env.copy(source, app.id);
    await this.deps.db.apps.updateOne({ _id: app.id }, { $set: { env, framework: source.framework } });
    await this.reindex(app.id, source.ownerId);
    return this.get(principal, app.id);
  }

  /** Apps of an owner, for a cascade (from the directory: no scan). */
  async idsOf(ownerId: string): Promise<string[]> {
    return (await this.directory.list(ownerId)).map((a) => a.id);
  }

  /** Resumes deletions a crash interrupted. */
  async sweep(): Promise<number> {
    const stuck = await this.deps.db.apps.find({ deletingAt: { $exists: true } }, { projection: { _id: 1 } }).toArray();
    for (const app of stuck) await this.cascade(app._id);
    await this.deps.db.idempotency.deleteMany({ expiresAt: { $lte: new Date() } });
    return stuck.length;
  }
}
