/**
 * Drafts: every save is a new immutable document `${appId}:${revision}`. Saving on base revision r
 * inserts r+1, so a stale base (another tab, `fp push`) collides on `_id` and gets 409 instead of
 * silently overwriting; there is no second write that could be left half done. The newest draft is the
 * current one: found from the app's revision hint plus a forward `_id` probe (FerretDB indexes only
 * `_id`), so it never scans. Older ones are pruned beyond the last few, by exact `_id`.
 */
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { AppDoc, DraftDoc, StoredFile } from '../db/documents.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { contentHash } from './files.js';

const keep = 10;

export class DraftService {
  constructor(private readonly db: Database) {}

  async latest(app: Pick<AppDoc, '_id' | 'draftRevision'>): Promise<DraftDoc> {
    let found: DraftDoc | null = await this.db.drafts.findOne({ _id: `${app._id}:${app.draftRevision}` });
    // The hint can lag (a crash between the draft insert and the app update): fall back to a query once.
    found ??= await this.db.drafts.find({ appId: app._id }).sort({ revision: -1 }).limit(1).next();
    if (!found) throw new NotFoundError('The app has no draft.');
    let current: DraftDoc = found;
    for (;;) {
      const next: DraftDoc | null = await this.db.drafts.findOne({ _id: `${app._id}:${current.revision + 1}` });
      if (!next) return current;
      current = next;
    }
  }

  draftDoc(app: Pick<AppDoc, '_id' | 'ownerId'>, revision: number, files: StoredFile[], entrypoint: string): DraftDoc {
    return {
      _id: `${app._id}:${revision}`, appId: app._id, ownerId: app.ownerId, revision, files, entrypoint,
      contentHash: contentHash(files, entrypoint), createdAt: new Date(),
    };
  }

  async insertFirst(app: Pick<AppDoc, '_id' | 'ownerId'>, files: StoredFile[], entrypoint: string): Promise<DraftDoc> {
    const draft = this.draftDoc(app, 1, files, entrypoint);
    try {
      await this.db.drafts.insertOne(draft);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return draft;
  }

  /** Saves on top of `base`; ConflictError when someone saved since. */
  async save(app: AppDoc, base: number, files: StoredFile[], entrypoint: string): Promise<DraftDoc> {
    const stale = (current: number) => new ConflictError(
      `The draft changed since revision ${base} (it is now at ${current}); reload it and apply your edit again.`,
      { details: { currentRevision: current } },
    );
    const current = await this.latest(app);
    if (current.revision !== base) throw stale(current.revision);
    const draft = this.draftDoc(app, base + 1, files, entrypoint);
    try {
      await this.db.drafts.insertOne(draft);
    } catch (error) {
      if (isDuplicateKey(error)) throw stale((await this.latest({ ...app, draftRevision: base })).revision);
      throw error;
    }
    const now = new Date();
    await this.db.apps.updateOne({ _id: app._id }, { $set: { draftRevision: draft.revision, draftHash: draft.contentHash, updatedAt: now, lastActivityAt: now } });
    if (draft.revision > keep) await this.db.drafts.deleteOne({ _id: `${app._id}:${draft.revision - keep}` });
    return draft;
  }
}
