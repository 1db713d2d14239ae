/**
 * Per-owner directories: one owner's app (or template) summaries, held in memory in their listing
 * order, so "list mine" neither scans every tenant's data nor sorts per request. FerretDB 1.24 (SQLite)
 * pushes down only exact `_id` matches (no index on `ownerId`, no sort or limit pushdown), and decoding
 * one document with a thousand nested entries costs it over 100 ms, so neither a query nor a persisted
 * list would be O(page).
 *
 * Coherent across API replicas through the owner's change feed (stamps.ts): every read follows the
 * feed from this process's position (one `_id` read when nothing changed) and re-reads only the
 * entries changed since, so a write made through any replica is listed by the next read on all of
 * them. An owner's view is built from the source collection on first use (one query per owner per
 * process, and again only after the view went unread for a while). Least recently used owners are
 * evicted past `capacity`.
 */
import { Ordered } from './ordered.js';
import { staleAfterMs, type Stamps } from './stamps.js';

/** A feed entry that tells every replica to rebuild the owner's view. */
const rebuild = '*';

export interface DirectorySource<T> {
  /** Every entry of an owner, from the source collection. */
  all(ownerId: string): Promise<T[]>;
  /** One entry, re-read; null when it is gone (or no longer the owner's). */
  one(ownerId: string, id: string): Promise<T | null>;
}

interface View<T extends { id: string }> {
  /** The feed position the view reflects (-1: to be built). */
  v: number;
  checkedAt: number;
  entries: Ordered<T>;
  /** Catch-ups of this view run one at a time. */
  syncing: Promise<void>;
}

export class Directory<T extends { id: string }> {
  private readonly owners = new Map<string, View<T>>();

  constructor(
    private readonly stamps: Stamps,
    /** Prefixes the owner's id in the stamp's key (`apps`, `templates`). */
    private readonly kind: string,
    private readonly source: DirectorySource<T>,
    /** The listing order (negative: `a` first). */
    private readonly order: (a: T, b: T) => number,
    private readonly capacity = 10_000,
  ) {}

  private key(ownerId: string): string {
    return `${this.kind}:${ownerId}`;
  }

  /** The owner's entries in listing order, including every change any replica finished before this call. */
  async view(ownerId: string): Promise<Ordered<T>> {
    let view = this.owners.get(ownerId);
    if (view) {
      this.owners.delete(ownerId);
      this.owners.set(ownerId, view);
    } else {
      view = { v: -1, checkedAt: 0, entries: new Ordered<T>(this.order), syncing: Promise.resolve() };
      this.owners.set(ownerId, view);
      if (this.owners.size > this.capacity) this.owners.delete(this.owners.keys().next().value as string);
    }
    const current = view;
    const key = this.key(ownerId);
    const asked = Date.now();
    // The probe runs concurrently (and is shared by the calls of this turn); only applying changes is
    // serialized, so that a later re-read of an entry always lands after an earlier one.
    const followable = current.v >= 0 && asked - current.checkedAt < staleAfterMs;
    const changes = followable ? await this.stamps.since(key, current.v) : null;
    if (changes && changes.ids.length === 0) {
      current.checkedAt = Math.max(current.checkedAt, asked);
      return current.entries;
    }
    const run = current.syncing.catch(() => undefined).then(async () => {
      if (changes && current.v >= changes.v && current.v >= 0) return;
      if (changes && current.v >= 0 && !changes.ids.includes(rebuild)) {
        // Re-reads of everything changed after the view's position, up to at least this caller's probe.
        const since = await this.stamps.since(key, current.v);
        if (!since.ids.includes(rebuild)) {
          const fresh = await Promise.all(since.ids.map(async (id) => [id, await this.source.one(ownerId, id)] as const));
          for (const [id, entry] of fresh) {
            if (entry) current.entries.put(entry);
            else current.entries.remove(id);
          }
          current.v = Math.max(current.v, since.v);
          current.checkedAt = Math.max(current.checkedAt, asked);
          return;
        }
      }
      const v = await this.stamps.head(key);
      current.entries = new Ordered<T>(this.order, await this.source.all(ownerId));
      current.v = v;
      current.checkedAt = asked;
    });
    // A failed catch-up leaves the view to be rebuilt by the next read.
    current.syncing = run.catch(() => { current.v = -1; });
    await run;
    return current.entries;
  }

  async list(ownerId: string): Promise<T[]> {
    return (await this.view(ownerId)).all();
  }

  /** Records that the owner's entry `id` changed or went (call after the write). */
  async changed(ownerId: string, id: string): Promise<void> {
    await this.stamps.bump(this.key(ownerId), id);
  }

  /** Forgets the owner (their data is gone); every other replica rebuilds its view at its next read. */
  async drop(ownerId: string): Promise<void> {
    this.owners.delete(ownerId);
    await this.stamps.bump(this.key(ownerId), rebuild);
  }
}
