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
 * Entries are swept after an hour (never the newest few of a key); a view not checked for
 * `staleAfterMs` is rebuilt instead of followed, so no reader ever relies on a swept entry. Probes of one key and position that arrive in
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
/** The sweep keeps at least this many entries below each key's head hint (far more than writers race). */
const keepBelowHint = 64;

export interface Changes {
  /** The position the reader has now seen up to. */
  readonly v: number;
  /** What changed since the position asked about, oldest first (repeats removed). */
  readonly ids: readonly string[];
}

export class Stamps {
  /** Probes not sent yet, per key and position: callers arriving now join them. */
  private readonly open = new Map<string, Promise<Changes>>();
  /**
   * The newest position this process wrote under a key, and when: trusted for `staleAfterMs` (every
   * position past it is younger than that, so none was swept). Least recently used keys forgotten.
   */
  private readonly written = new Map<string, { n: number; at: number }>();

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
    // Where to start: the newest position this process wrote or saw, else the database's hint. Either
    // may be behind (another replica wrote since): a taken position only means trying the next.
    const mine = this.written.get(key);
    let n = mine && Date.now() - mine.at < staleAfterMs ? mine.n : (await this.stamps.findOne({ _id: `${key}:head` }))?.n ?? 0;
    for (n += 1; ; n++) {
      try {
        await this.stamps.insertOne({ _id: `${key}:${n}`, n, changed: id, at: new Date() });
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    this.remember(key, n);
    // Only a hint (it may lag, even step back under races, by as many as raced): whoever starts from
    // it probes past it, and the sweep never deletes entries near it.
    await this.stamps.replaceOne({ _id: `${key}:head` }, { n, at: new Date() }, { upsert: true });
  }

  private remember(key: string, n: number): void {
    this.written.delete(key);
    this.written.set(key, { n, at: Date.now() });
    if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value as string);
  }

  /**
   * Deletes feed entries past their keeping time (FerretDB has no TTL indexes), except those near
   * their key's head hint: a writer starting from a hint that stepped back must never find a swept
   * (free) position below the head.
   */
  async sweep(): Promise<number> {
    const old = await this.stamps.find({ changed: { $exists: true }, at: { $lt: new Date(Date.now() - keepMs) } }, { projection: { _id: 1, n: 1 } }).toArray();
    const heads = new Map<string, number>();
    let deleted = 0;
    for (const entry of old) {
      const key = entry._id.slice(0, entry._id.lastIndexOf(':'));
      if (!heads.has(key)) heads.set(key, (await this.stamps.findOne({ _id: `${key}:head` }))?.n ?? 0);
      if (entry.n < (heads.get(key) ?? 0) - keepBelowHint) deleted += (await this.stamps.deleteOne({ _id: entry._id })).deletedCount;
    }
    return deleted;
  }
}
