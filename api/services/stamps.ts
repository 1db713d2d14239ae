/**
 * Change feeds per key: how API replicas keep in-memory views coherent without change streams
 * (FerretDB 1.24 has none) and without atomic updates (on FerretDB concurrent `$inc`s lose updates and
 * conditional updates have several winners; only unique `_id` inserts serialize: ARCHITECTURE.md).
 * Every write under a key (an owner's apps, an owner's templates, the global templates, revocations)
 * is followed by one inserted document `<key>:<n>` naming what changed, at the first free `n` after the
 * key's head hint; exactly one writer wins each `n`, so the feed has no gaps and no lost entries. A
 * reader that has seen up to `v` probes `<key>:<v+1>`, an exact `_id` read (the one query FerretDB
 * pushes down to SQLite), and follows until the first miss: a write that returned on one replica is
 * seen by the next read on any other, and nothing changed costs one read.
 *
 * Entries are swept after an hour; a view not checked for `staleAfterMs` is rebuilt instead of
 * followed, so no reader ever relies on a swept entry. Probes of one key and position that arrive in
 * the same turn of the event loop share one read, sent after all of them arrived (each still sees
 * every write finished before it asked).
 */
import type { Collection } from 'mongodb';
import { isDuplicateKey } from '../db/database.js';
import type { StampDoc } from '../db/documents.js';

/** A view unchecked for this long is rebuilt, not followed. */
export const staleAfterMs = 10 * 60_000;
/** Feed entries older than this are swept (well past `staleAfterMs`, for clock skew between replicas). */
const keepMs = 60 * 60_000;

export interface Changes {
  /** The position the reader has now seen up to. */
  readonly v: number;
  /** What changed since the position asked about, oldest first (repeats removed). */
  readonly ids: readonly string[];
}

export class Stamps {
  /** Probes not sent yet, per key and position: callers arriving now join them. */
  private readonly open = new Map<string, Promise<Changes>>();

  constructor(private readonly stamps: Collection<StampDoc>) {}

  /** The newest position of the key's feed (for a view about to be built). */
  async head(key: string): Promise<number> {
    const hint = await this.stamps.findOne({ _id: `${key}:head` });
    return (await this.follow(key, hint?.n ?? 0)).v;
  }

  /** What changed under `key` after position `v`, up to now. */
  since(key: string, v: number): Promise<Changes> {
    const slot = `${key}@${v}`;
    let pending = this.open.get(slot);
    if (!pending) {
      pending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.open.delete(slot);
        return this.follow(key, v);
      });
      this.open.set(slot, pending);
    }
    return pending;
  }

  private async follow(key: string, v: number): Promise<Changes> {
    const ids: string[] = [];
    let at = v;
    for (;;) {
      const next = await this.stamps.findOne({ _id: `${key}:${at + 1}` });
      if (!next) break;
      at += 1;
      if (next.changed !== undefined && !ids.includes(next.changed)) ids.push(next.changed);
    }
    return { v: at, ids };
  }

  /** Records that `id` changed under `key` (call after the write itself). */
  async bump(key: string, id: string): Promise<void> {
    const hint = await this.stamps.findOne({ _id: `${key}:head` });
    for (let n = (hint?.n ?? 0) + 1; ; n++) {
      try {
        await this.stamps.insertOne({ _id: `${key}:${n}`, n, changed: id, at: new Date() });
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      // Only a hint (it may lag, even step back under races): readers and writers probe past it.
      await this.stamps.replaceOne({ _id: `${key}:head` }, { n, at: new Date() }, { upsert: true });
      return;
    }
  }

  /** Deletes feed entries past their keeping time (FerretDB has no TTL indexes). */
  async sweep(): Promise<number> {
    return (await this.stamps.deleteMany({ changed: { $exists: true }, at: { $lt: new Date(Date.now() - keepMs) } })).deletedCount;
  }
}
