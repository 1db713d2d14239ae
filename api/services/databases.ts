/**
 * Users' databases as objects: each is a MongoDB database with a user of its own on its tenant's
 * server (api/databases: one FerretDB per tenant by default, or the operator's MongoDB). A user has a
 * default database, made on first use, and more on demand up to the admin's limit. An app is bound to
 * one of its owner's databases (or none; `auto` binds the default one when the code reads
 * PLATFORM_MONGO_URI) and gets its URI, with that database's own credentials, as PLATFORM_MONGO_URI and
 * nothing else. Passwords are encrypted at rest like env vars, shown only on request, and rotated on
 * request, which redeploys the bound apps. Deleting a database, or its user, removes data and
 * credentials. Names are claimed per owner by unique insert (FerretDB has no atomic conditional update).
 */
import { randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import type { DatabaseProvider, DatabaseRef } from '../databases/index.js';
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { AppDatabaseBinding, AppDoc, DatabaseDoc, StoredFile } from '../db/documents.js';
import { hexIdPattern, newHexId } from '../db/ids.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError, UnavailableError } from '../errors.js';
import { decryptValue, encryptValue } from './secrets.js';
import type { SettingsService } from './settings.js';

export interface PublicDatabase {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly provider: 'ferretdb' | 'mongodb';
  readonly dbName: string;
  readonly username: string;
  readonly createdAt: string;
  readonly rotatedAt: string;
  readonly sizeBytes: number | null;
  readonly apps: { id: string; name: string }[];
}

export interface DatabaseDeps {
  readonly db: Database;
  /** Null when the platform offers no databases (RUNTIME=none without a provider). */
  readonly provider: DatabaseProvider | null;
  readonly key: Buffer;
  readonly settings: SettingsService;
  /** Redeploys an app with its current version and new env (after a rotation or a binding change). */
  readonly redeploy: (appId: string) => Promise<void>;
  readonly log: (message: string) => void;
}

export const defaultDatabaseName = 'default';
const namePattern = /^[a-z0-9][a-z0-9-]{0,39}$/;

const mentionsDatabase = (files: readonly StoredFile[]) => files.some((f) => f.content.includes('PLATFORM_MONGO_URI'));

function ref(doc: DatabaseDoc): DatabaseRef {
  return { id: doc._id, ownerId: doc.ownerId, dbName: doc.dbName, username: doc.username };
}

export class DatabaseService {
  /** Default databases being made by this process, per owner: concurrent first uses share one. */
  private readonly makingDefault = new Map<string, Promise<DatabaseDoc>>();

  constructor(private readonly deps: DatabaseDeps) {}

  private get provider(): DatabaseProvider {
    if (!this.deps.provider) throw new UnavailableError('This platform has no database provider configured (DATABASE_PROVIDER).');
    return this.deps.provider;
  }

  private password(doc: DatabaseDoc): string {
    return decryptValue(this.deps.key, doc.password, `database:${doc._id}`);
  }

  /** The caller's database, or NotFound (another user's is never told apart from a missing one). */
  async owned(ownerId: string, id: string): Promise<DatabaseDoc> {
    const doc = hexIdPattern.test(id) ? await this.deps.db.databases.findOne({ _id: id }) : null;
    if (!doc || doc.ownerId !== ownerId || doc.deletingAt) throw new NotFoundError('No such database.');
    return doc;
  }

  private async ofOwner(ownerId: string): Promise<DatabaseDoc[]> {
    const docs = await this.deps.db.databases.find({ ownerId }).limit(1000).toArray();
    return docs.filter((d) => !d.deletingAt).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.createdAt.getTime() - b.createdAt.getTime());
  }

  private async boundApps(ownerId: string): Promise<Map<string, { id: string; name: string }[]>> {
    const apps = await this.deps.db.apps.find({ ownerId, 'database.mode': 'bound' }, { projection: { _id: 1, name: 1, database: 1, deletingAt: 1 } }).toArray();
    const byDatabase = new Map<string, { id: string; name: string }[]>();
    for (const app of apps) {
      if (app.deletingAt || app.database?.mode !== 'bound') continue;
      byDatabase.set(app.database.databaseId, [...(byDatabase.get(app.database.databaseId) ?? []), { id: app._id, name: app.name }]);
    }
    return byDatabase;
  }

  private async view(doc: DatabaseDoc, apps: { id: string; name: string }[], size = false): Promise<PublicDatabase> {
    let sizeBytes: number | null = null;
    if (size) {
      try {
        sizeBytes = await this.sizeOf(doc);
      } catch (error) {
        this.deps.log(`size of database ${doc._id}: ${String(error)}`);
      }
    }
    return {
      id: doc._id, name: doc.name, isDefault: doc.isDefault, provider: doc.provider, dbName: doc.dbName, username: doc.username,
      createdAt: doc.createdAt.toISOString(), rotatedAt: doc.rotatedAt.toISOString(), sizeBytes, apps,
    };
  }

  private sizeOf(doc: DatabaseDoc): Promise<number> {
    return this.provider.sizeBytes(ref(doc));
  }

  /** Each of a user's databases with its size (the admin's user screen); starts nothing. */
  async summaryOf(ownerId: string): Promise<{ name: string; sizeBytes: number | null }[]> {
    if (!this.deps.provider) return [];
    const docs = await this.ofOwner(ownerId);
    return Promise.all(docs.map(async (doc) => ({ name: doc.name, sizeBytes: await this.sizeOf(doc).catch(() => null) })));
  }

  /** The caller's databases (the default one made on first use), with sizes and the apps bound to each. */
  async list(ownerId: string, options: { sizes: boolean } = { sizes: true }): Promise<PublicDatabase[]> {
    if (!this.deps.provider) return [];
    await this.ensureDefault(ownerId);
    const [docs, bound] = await Promise.all([this.ofOwner(ownerId), this.boundApps(ownerId)]);
    return Promise.all(docs.map((doc) => this.view(doc, bound.get(doc._id) ?? [], options.sizes)));
  }

  async get(ownerId: string, id: string): Promise<PublicDatabase> {
    const doc = await this.owned(ownerId, id);
    return this.view(doc, (await this.boundApps(ownerId)).get(doc._id) ?? [], true);
  }

  async create(ownerId: string, input: { name: string }, isDefault = false): Promise<PublicDatabase> {
    const provider = this.provider;
    const name = input.name.trim().toLowerCase();
    if (!namePattern.test(name)) {
      throw new InputError('Invalid body: body.name: use 1-40 lower-case letters, digits and dashes, starting with a letter or digit', { details: { issues: [{ path: 'body.name', message: 'use 1-40 lower-case letters, digits and dashes, starting with a letter or digit' }] } });
    }
    const existing = await this.ofOwner(ownerId);
    const limit = (await this.deps.settings.get()).maxDatabasesPerUser;
    if (existing.length >= limit) throw new NotAllowedError(`You have ${existing.length} database${existing.length === 1 ? '' : 's'}, the most this platform allows (${limit}); delete one first or ask an admin.`);
    const claim = `d:${ownerId}:${name}`;
    try {
      await this.deps.db.names.insertOne({ _id: claim, userId: ownerId, createdAt: new Date() });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(`You already have a database named "${name}".`, { details: { field: 'name' } });
      throw error;
    }
    const id = newHexId();
    const password = randomBytes(24).toString('base64url');
    const now = new Date();
    const doc: DatabaseDoc = {
      _id: id, ownerId, name, nameKey: name, dbName: `d_${id}`, username: `u_${id}`, password: encryptValue(this.deps.key, password, `database:${id}`),
      provider: provider.kind, isDefault, createdAt: now, rotatedAt: now,
    };
    try {
      await provider.create(ref(doc), password);
      await this.deps.db.databases.insertOne(doc);
    } catch (error) {
      await this.deps.db.names.deleteOne({ _id: claim, userId: ownerId });
      await provider.drop(ref(doc)).catch(() => {});
      throw error instanceof UnavailableError ? error : new UnavailableError(`The database could not be created: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return this.view(doc, []);
  }

  /** The owner's default database, made now if it does not exist yet (concurrent callers make one). */
  async ensureDefault(ownerId: string): Promise<DatabaseDoc> {
    const pending = this.makingDefault.get(ownerId);
    if (pending) return pending;
    const making = this.findOrMakeDefault(ownerId).finally(() => this.makingDefault.delete(ownerId));
    this.makingDefault.set(ownerId, making);
    return making;
  }

  private async findOrMakeDefault(ownerId: string): Promise<DatabaseDoc> {
    // Another API process may be making it (its name claim exists, its document not yet): wait for it.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const found = (await this.ofOwner(ownerId)).find((d) => d.isDefault);
      if (found) return found;
      try {
        await this.create(ownerId, { name: defaultDatabaseName }, true);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        await this.dropOrphanClaim(ownerId, defaultDatabaseName);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new UnavailableError('The default database is still being created; try again in a minute.');
  }

  /** A name claimed by a creation that died before its document was written (over a minute ago) is freed. */
  private async dropOrphanClaim(ownerId: string, name: string): Promise<void> {
    const claim = await this.deps.db.names.findOne({ _id: `d:${ownerId}:${name}` });
    if (!claim || Date.now() - claim.createdAt.getTime() < 60_000) return;
    const exists = (await this.ofOwner(ownerId)).some((d) => d.nameKey === name);
    if (!exists) await this.deps.db.names.deleteOne({ _id: claim._id, userId: ownerId });
  }

  /** The URI and credentials, for a client of the user's own (shown on request, never stored by the UI). */
  async credentials(ownerId: string, id: string): Promise<{ uri: string; username: string; password: string; dbName: string }> {
    const doc = await this.owned(ownerId, id);
    const password = this.password(doc);
    return { uri: this.provider.appUri(ref(doc), password), username: doc.username, password, dbName: doc.dbName };
  }

  /** A new password; every app bound to the database is redeployed with it. */
  async rotate(ownerId: string, id: string): Promise<PublicDatabase> {
    const doc = await this.owned(ownerId, id);
    const password = randomBytes(24).toString('base64url');
    await this.provider.rotate(ref(doc), password);
    const rotatedAt = new Date();
    await this.deps.db.databases.updateOne({ _id: doc._id }, { $set: { password: encryptValue(this.deps.key, password, `database:${doc._id}`), rotatedAt } });
    for (const app of await this.appsUsing(doc)) await this.deps.redeploy(app._id).catch((error: unknown) => this.deps.log(`redeploying ${app._id} after a rotation: ${String(error)}`));
    return this.get(ownerId, id);
  }

  /** Apps whose PLATFORM_MONGO_URI is this database (bound to it, or `auto` on the default one). */
  private async appsUsing(doc: DatabaseDoc): Promise<AppDoc[]> {
    const apps = await this.deps.db.apps.find({ ownerId: doc.ownerId }).toArray();
    return apps.filter((app) => !app.deletingAt && app.deploy.version !== null && (
      (app.database?.mode === 'bound' && app.database.databaseId === doc._id)
      || (doc.isDefault && (app.database?.mode ?? 'auto') === 'auto')));
  }

  /** Deletes the database: its data and its user. Refused while an app is bound to it. */
  async remove(ownerId: string, id: string, confirm: string): Promise<void> {
    const doc = await this.owned(ownerId, id);
    if (confirm !== doc.name) throw new InputError(`Type the database's name ("${doc.name}") to confirm deleting it and everything in it.`, { details: { issues: [{ path: 'query.confirm', message: `type "${doc.name}"` }] } });
    const bound = (await this.boundApps(ownerId)).get(doc._id) ?? [];
    if (bound.length > 0) throw new ConflictError(`Apps use this database: ${bound.map((a) => a.name).join(', ')}. Bind them to another database (or none) first.`, { details: { apps: bound } });
    await this.destroy(doc);
  }

  private async destroy(doc: DatabaseDoc): Promise<void> {
    await this.deps.db.databases.updateOne({ _id: doc._id }, { $set: { deletingAt: new Date() } });
    await this.provider.drop(ref(doc));
    await this.deps.db.databases.deleteOne({ _id: doc._id });
    await this.deps.db.names.deleteOne({ _id: `d:${doc.ownerId}:${doc.nameKey}`, userId: doc.ownerId });
  }

  /** Everything of a user's: each database, then the tenant's server and files. */
  async removeAllOf(ownerId: string): Promise<void> {
    if (!this.deps.provider) return;
    for (const doc of await this.deps.db.databases.find({ ownerId }).toArray()) await this.destroy(doc).catch(async () => {
      await this.deps.db.databases.deleteOne({ _id: doc._id });
    });
    await this.deps.provider.dropTenant(ownerId);
  }

  /** The app's database binding as the API shows it. */
  bindingOf(app: Pick<AppDoc, 'database'>): AppDatabaseBinding {
    return app.database ?? { mode: 'auto' };
  }

  /** Checks a binding the owner asked for (the database must be theirs). */
  async checkBinding(ownerId: string, binding: AppDatabaseBinding): Promise<AppDatabaseBinding> {
    if (binding.mode === 'bound') await this.owned(ownerId, binding.databaseId);
    return binding;
  }

  /**
   * The env an app's deploy adds: PLATFORM_MONGO_URI of its database, provisioning the default on
   * first use (not with `provision: false`: a view of what would be applied makes nothing).
   */
  async envFor(app: Pick<AppDoc, 'ownerId' | 'database'>, files: readonly StoredFile[], options: { provision: boolean } = { provision: true }): Promise<Record<string, string>> {
    if (!this.deps.provider) return {};
    const binding = this.bindingOf(app);
    let doc: DatabaseDoc | null = null;
    if (binding.mode === 'bound') doc = await this.owned(app.ownerId, binding.databaseId).catch(() => null);
    else if (binding.mode === 'auto' && mentionsDatabase(files)) {
      doc = options.provision ? await this.ensureDefault(app.ownerId) : (await this.ofOwner(app.ownerId)).find((d) => d.isDefault) ?? null;
    }
    if (!doc) return {};
    // An app handed the URI of a server that cannot start would only hang on its first query: the
    // deploy fails now, with the cluster's reason, instead.
    if (options.provision) await this.provider.prepare?.(ref(doc));
    return { PLATFORM_MONGO_URI: this.provider.appUri(ref(doc), this.password(doc)) };
  }

  /** Runs `work` with a client connected as the database's own user. */
  async withClient<T>(doc: DatabaseDoc, work: (client: MongoClient) => Promise<T>): Promise<T> {
    const lease = await this.provider.connect(ref(doc), this.password(doc));
    try {
      return await work(lease.value);
    } finally {
      await lease.release();
    }
  }

  /** A client held by the caller (the explorer's cursors), released by it. */
  async lease(doc: DatabaseDoc): Promise<{ client: MongoClient; release: () => Promise<void> }> {
    const lease = await this.provider.connect(ref(doc), this.password(doc));
    return { client: lease.value, release: () => lease.release() };
  }
}
