/**
 * Version stamps: how API replicas keep in-memory views coherent without change streams (FerretDB 1.24
 * has none). A stamp is one small document per key, read by exact `_id` (the one query FerretDB pushes
 * down to SQLite). Every write under the key bumps `v` and appends what changed to `log` in the same
 * atomic update, after the write itself; a reader compares `v` with the `v` its view was built at and
 * re-reads only the ids the log names since then (or everything, when it fell further behind than the
 * log keeps). So a write that returned on one replica is seen by the next read on any other.
 * FerretDB ignores `$slice` on `$push`, so the log is trimmed by a separate compare-and-set on `v`
 * once it is twice the length readers rely on.
 *
 * Reads of one key that arrive in the same turn of the event loop share one database read, sent only
 * after all of them arrived: each still sees every write finished before it asked, and under load a
 * stamp costs far less than one read per request.
 */
import type { Collection } from 'mongodb';
import type { StampDoc } from '../db/documents.js';

/** How many changes a reader can catch up on from the log before it rebuilds its view. */
export const stampLogKeep = 64;

export interface Stamp {
  readonly v: number;
  readonly log: readonly string[];
}

export class Stamps {
  /** Reads not sent yet, per key: callers arriving now join them. */
  private readonly open = new Map<string, Promise<Stamp>>();

  constructor(private readonly stamps: Collection<StampDoc>) {}

  read(key: string): Promise<Stamp> {
    let pending = this.open.get(key);
    if (!pending) {
      pending = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        this.open.delete(key);
        const doc = await this.stamps.findOne({ _id: key });
        return doc ? { v: doc.v, log: doc.log } : { v: 0, log: [] };
      });
      this.open.set(key, pending);
    }
    return pending;
  }

  /** Records that `id` changed under `key` (call after the write itself). */
  async bump(key: string, id: string): Promise<void> {
    const doc = await this.stamps.findOneAndUpdate({ _id: key }, { $inc: { v: 1 }, $push: { log: id } }, { upsert: true, returnDocument: 'after' });
    if (doc && doc.log.length > 2 * stampLogKeep) {
      // Only if nothing was appended since: a concurrent bump's entry is never trimmed away unseen.
      await this.stamps.updateOne({ _id: key, v: doc.v }, { $set: { log: doc.log.slice(-stampLogKeep) } });
    }
  }

  async remove(key: string): Promise<void> {
    await this.stamps.deleteOne({ _id: key });
  }
}

/**
 * The ids changed between `from` and the stamp, or null when the log no longer reaches back that far
 * (or the stamp went backwards: its document was removed), and the reader must rebuild.
 */
export function changedSince(from: number, stamp: Stamp): string[] | null {
  const gap = stamp.v - from;
  if (gap < 0 || gap > stamp.log.length) return null;
  return [...new Set(stamp.log.slice(stamp.log.length - gap))];
}
