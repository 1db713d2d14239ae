/**
 * Drafts: every save is a new immutable document `${appId}:${revision}`. Saving on base revision r
 * inserts r+1, so a stale base (another tab, `fp push`, another API replica) collides on `_id` and gets
 * 409 instead of silently overwriting: the insert is the compare-and-set, and there is no second write
 * that could be left half done. The app's `draftRevision` names the newest draft (moved forward only,
 * by a conditional update after the insert), so reading the current draft is one `_id` read, and none
 * when that immutable document is cached. The hint lags only after a crash between the two writes;
 * saves and deploys probe forward from it (FerretDB indexes only `_id`, so never a scan) and repair it.
 * Older drafts are pruned beyond the last few, by exact `_id`.
 */
import type { Database } from '../db/database.js';
import { isDuplicateKey } from '../db/database.js';
import type { AppDoc, DraftDoc, StoredFile } from '../db/documents.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { FairQueue } from './fair-queue.js';
import { contentHash } from './files.js';

const keep = 10;

/** Immutable documents by `_id`, least recently used out past a byte budget. */
class DraftCache {
  private readonly entries = new Map<string, { doc: DraftDoc; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(id: string): DraftDoc | undefined {
    const found = this.entries.get(id);
    if (!found) return undefined;
    this.entries.delete(id);
    this.entries.set(id, found);
    return found.doc;
  }

  set(doc: DraftDoc): void {
    const bytes = doc.files.reduce((sum, f) => sum + f.path.length + f.content.length, 256);
    if (bytes > this.budget / 8 || this.entries.has(doc._id)) return;
    this.entries.set(doc._id, { doc, bytes });
    this.bytes += bytes;
    for (const [id, entry] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(id);
      this.bytes -= entry.bytes;
    }
  }
}

export class DraftService {
  private readonly cache = new DraftCache(32 * 1024 * 1024);
  /** Saves wait their turn in arrival order (fair-queue.ts). */
  private readonly queue = new FairQueue(4, 16);

  constructor(private readonly db: Database) {}

  private async byId(id: string): Promise<DraftDoc | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const doc = await this.db.drafts.findOne({ _id: id });
    if (doc) this.cache.set(doc);
    return doc;
  }

  /** The draft the app's revision hint names: what a read shows (one `_id` read at most). */
  async current(app: Pick<AppDoc, '_id' | 'draftRevision'>): Promise<DraftDoc> {
    return (await this.byId(`${app._id}:${app.draftRevision}`)) ?? this.latest(app);
  }

  /** The newest draft, probing past the hint (and repairing it when a crash left it behind). */
  async latest(app: Pick<AppDoc, '_id' | 'draftRevision'>): Promise<DraftDoc> {
    let found: DraftDoc | null = await this.byId(`${app._id}:${app.draftRevision}`);
    // The hint names a draft that is gone only if pruning outran it: fall back to a query once.
    found ??= await this.db.drafts.find({ appId: app._id }).sort({ revision: -1 }).limit(1).next();
    if (!found) throw new NotFoundError('The app has no draft.');
    let current: DraftDoc = found;
    for (;;) {
      const next: DraftDoc | null = await this.byId(`${app._id}:${current.revision + 1}`);
      if (!next) break;
      current = next;
    }
    if (current.revision !== app.draftRevision) await this.advance(app._id, current);
    return current;
  }

  /** Moves the app's hint forward to `draft` (never back: a slower save of an older revision loses). */
  private async advance(appId: string, draft: DraftDoc): Promise<void> {
    const now = new Date();
    await this.db.apps.updateOne({ _id: appId, draftRevision: { $lt: draft.revision } }, { $set: { draftRevision: draft.revision, draftHash: draft.contentHash, updatedAt: now, lastActivityAt: now } });
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

  /** Saves on top of `base`; ConflictError when someone saved since. Saves wait in arrival order. */
  save(app: AppDoc, base: number, files: StoredFile[], entrypoint: string): Promise<DraftDoc> {
    return this.queue.run(app._id, 'draft saves', () => this.saveNow(app, base, files, entrypoint));
  }

  private async saveNow(app: AppDoc, base: number, files: StoredFile[], entrypoint: string): Promise<DraftDoc> {
    const stale = (current: number) => new ConflictError(
      `The draft changed since revision ${base} (it is now at ${current}); reload it and apply your edit again.`,
      { details: { currentRevision: current } },
    );
    // On the hint, the base draft exists, so inserting base+1 is the whole check. Elsewhere, find the newest first.
    if (base !== app.draftRevision) {
      const current = await this.latest(app);
      if (current.revision !== base) throw stale(current.revision);
    }
    const draft = this.draftDoc(app, base + 1, files, entrypoint);
    try {
      await this.db.drafts.insertOne(draft);
    } catch (error) {
      if (isDuplicateKey(error)) throw stale((await this.latest({ ...app, draftRevision: base })).revision);
      throw error;
    }
    this.cache.set(draft);
    await this.advance(app._id, draft);
    if (draft.revision > keep) await this.db.drafts.deleteOne({ _id: `${app._id}:${draft.revision - keep}` });
    return draft;
  }
}
