/**
 * Admin user management. Role changes and deletions run under one lock, so two admins demoting each
 * other at the same moment cannot leave the platform without an admin (FerretDB has no transactions,
 * and its conditional updates are not atomic). Deleting a user marks them first (sign-in refused,
 * tokens forgotten), then removes every app (cluster objects included), database (data, credentials
 * and server), session, API token, template, idempotency record and request log, then the user; the
 * sweep resumes an interrupted cascade.
 */
import type { Database } from '../db/database.js';
import { hexIdPattern } from '../db/ids.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../errors.js';
import type { AccountService, Principal, PublicUser } from './accounts.js';
import { publicUser } from './accounts.js';
import type { AppService } from './apps.js';
import type { DatabaseService } from './databases.js';
import type { LockService } from './locks.js';
import type { TemplateService } from './templates.js';

export interface AdminUser extends PublicUser {
  readonly apps: number;
  readonly runningApps: number;
  /** Their databases and what each takes on disk. */
  readonly databases: { name: string; sizeBytes: number | null }[];
}

export class UserAdminService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountService,
    private readonly apps: AppService,
    private readonly templates: TemplateService,
    private readonly locks: LockService,
    private readonly databases: DatabaseService,
  ) {}

  private roles<T>(work: () => Promise<T>): Promise<T> {
    return this.locks.withLock('admin-roles', { ttlMs: 60_000, waitMs: 10_000 }, work, 'Another role change is in progress; try again.');
  }

  async list(query: { search?: string | undefined; limit: number; offset: number }): Promise<{ users: AdminUser[]; total: number }> {
    const filter: Record<string, unknown> = { deletingAt: { $exists: false } };
    if (query.search) filter.usernameKey = { $regex: query.search.trim().toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&') };
    const [docs, total] = await Promise.all([
      this.db.users.find(filter).sort({ createdAt: -1 }).skip(query.offset).limit(query.limit).toArray(),
      this.db.users.countDocuments(filter),
    ]);
    const ids = docs.map((u) => u._id);
    const counts = await this.db.apps.aggregate<{ _id: { owner: string; phase: string }; n: number }>([
      { $match: { ownerId: { $in: ids } } },
      { $group: { _id: { owner: '$ownerId', phase: '$deploy.phase' }, n: { $sum: 1 } } },
    ]).toArray();
    const count = (id: string, phase?: string) => counts.filter((c) => c._id.owner === id && (!phase || c._id.phase === phase)).reduce((n, c) => n + c.n, 0);
    const databases = await Promise.all(docs.map((u) => this.databases.summaryOf(u._id)));
    return { users: docs.map((u, i) => ({ ...publicUser(u), apps: count(u._id), runningApps: count(u._id, 'running'), databases: databases[i] ?? [] })), total };
  }

  private async target(userId: string) {
    const user = hexIdPattern.test(userId) ? await this.db.users.findOne({ _id: userId }) : null;
    if (!user || user.deletingAt) throw new NotFoundError('No such user.');
    return user;
  }

  private async adminCount(): Promise<number> {
    return this.db.users.countDocuments({ isAdmin: true, deletingAt: { $exists: false } });
  }

  async setAdmin(userId: string, isAdmin: boolean): Promise<PublicUser> {
    return this.roles(async () => {
      const user = await this.target(userId);
      if (user.isAdmin && !isAdmin && (await this.adminCount()) <= 1) {
        throw new ConflictError('This is the last admin; make someone else an admin first.');
      }
      await this.db.users.updateOne({ _id: user._id }, { $set: { isAdmin } });
      // Their access tokens carry the old role: end them now.
      await this.accounts.revocations.revoke(user._id);
      return publicUser({ ...user, isAdmin });
    });
  }

  async remove(by: Principal, userId: string): Promise<void> {
    if (userId === by.userId) throw new NotAllowedError('Admins cannot delete their own account here; ask another admin.');
    await this.roles(async () => {
      const user = await this.target(userId);
      if (user.isAdmin && (await this.adminCount()) <= 1) throw new ConflictError('This is the last admin and cannot be deleted.');
      await this.db.users.updateOne({ _id: user._id }, { $set: { deletingAt: new Date() } });
    });
    await this.accounts.revokeUser(userId);
    await this.cascade(userId);
  }

  async cascade(userId: string): Promise<void> {
    // A scan, not the directory: a deletion must find every app, even one a crash kept out of it.
    for (const app of await this.db.apps.find({ ownerId: userId }).toArray()) await this.apps.cascade(app._id);
    // Their databases: data, users and, locally, their database server and its files.
    await this.databases.removeAllOf(userId);
    await this.apps.directory.drop(userId);
    await this.templates.dropDirectory(userId);
    const user = await this.db.users.findOne({ _id: userId });
    if (user) await this.accounts.releaseNames(user);
    await Promise.all([
      this.db.sessions.deleteMany({ userId }),
      this.db.apiTokens.deleteMany({ userId }),
      this.db.templates.deleteMany({ ownerId: userId }),
      this.db.idempotency.deleteMany({ userId }),
      this.db.drafts.deleteMany({ ownerId: userId }),
      this.db.versions.deleteMany({ ownerId: userId }),
    ]);
    await this.db.users.deleteOne({ _id: userId });
  }

  /** Resumes interrupted deletions, and makes sure an admin exists (a crash after the first-admin marker). */
  async sweep(): Promise<void> {
    for (const user of await this.db.users.find({ deletingAt: { $exists: true } }).toArray()) await this.cascade(user._id);
    if ((await this.db.users.estimatedDocumentCount()) > 0 && (await this.adminCount()) === 0) {
      const earliest = await this.db.users.find({ deletingAt: { $exists: false } }).sort({ createdAt: 1 }).limit(1).next();
      if (earliest) await this.db.users.updateOne({ _id: earliest._id }, { $set: { isAdmin: true } });
    }
  }
}
