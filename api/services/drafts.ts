/**
 * Drafts: every save is a new immutable document `${appId}:${revision}`. Saving on base revision r
 * inserts r+1, so a stale base (another tab, `fp push`) collides on `_id` and gets 409 instead of
 * silently overwriting; there is no second write that could be left half done. The newest draft is the
 * current one; older ones are pruned beyond the last few.
 */
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { AppDoc, DraftDoc, StoredFile } from '../db/documents.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { contentHash } from './files.js';

const keep = 10;

export class DraftService {
  constructor(private readonly db: Database) {}

  async latest(appId: string): Promise<DraftDoc> {
    const draft = await this.db.drafts.find({ appId }).sort({ revision: -1 }).limit(1).next();
    if (!draft) throw new NotFoundError('The app has no draft.');
    return draft;
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
    const current = await this.latest(app._id);
    if (current.revision !== base) throw stale(current.revision);
    const draft = this.draftDoc(app, base + 1, files, entrypoint);
    try {
      await this.db.drafts.insertOne(draft);
    } catch (error) {
      if (isDuplicateKey(error)) throw stale((await this.latest(app._id)).revision);
      throw error;
    }
    const now = new Date();
    await this.db.apps.updateOne({ _id: app._id }, { $set: { draftRevision: draft.revision, draftHash: draft.contentHash, updatedAt: now, lastActivityAt: now } });
    await this.db.drafts.deleteMany({ appId: app._id, revision: { $lte: draft.revision - keep } });
    return draft;
  }
}
