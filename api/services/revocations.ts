/**
 * Revoked sessions and users. An access token is self-contained (no database read per request), so a
 * revocation must reach every verifier: it is written to the database (`revocations`, one document per
 * revoked id, kept for an access token's lifetime), held in memory and loaded at boot, so it survives
 * a restart. Every revocation is recorded in the `revocations` change feed (stamps.ts), and every
 * verification follows that feed first (one shared `_id` read when nothing changed), so a revocation
 * made on one API replica is in force on every other at its next request. Revocations are re-read only
 * when the feed moved.
 */
import type { Collection } from 'mongodb';
import type { RevocationDoc } from '../db/documents.js';
import { staleAfterMs, type Stamps } from './stamps.js';

const stampKey = 'revocations';

export class RevocationService {
  private readonly revoked = new Map<string, number>();
  private lastSync = 0;
  /** The feed position this process has caught up with (-1: not loaded). */
  private v = -1;
  private checkedAt = 0;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly collection: Collection<RevocationDoc>, private readonly accessTokenTtlMs: number, private readonly stamps: Stamps) {}

  /** Loads what is still in force. */
  async start(): Promise<void> {
    await this.current();
  }

  stop(): void {}

  /** Catches up with every revocation any replica finished before this call. */
  async current(): Promise<void> {
    // The usual case, nothing revoked since: one probe, shared by the calls of this turn, not serialized.
    if (this.v >= 0 && Date.now() - this.checkedAt < staleAfterMs && (await this.stamps.since(stampKey, this.v)).ids.length === 0) return;
    // One catch-up at a time, each starting after its caller asked.
    const run = this.syncing.catch(() => undefined).then(() => this.sync());
    this.syncing = run;
    await run;
  }

  private async sync(): Promise<void> {
    let v: number;
    if (this.v < 0 || Date.now() - this.checkedAt >= staleAfterMs) {
      v = await this.stamps.head(stampKey);
    } else {
      const changes = await this.stamps.since(stampKey, this.v);
      if (changes.ids.length === 0) {
        this.checkedAt = Date.now();
        return;
      }
      v = changes.v;
    }
    // Replicas' clocks differ a little: re-read a margin before the last catch-up.
    const since = new Date(this.lastSync - 60_000);
    const started = Date.now();
    const docs = await this.collection.find({ at: { $gte: since }, expiresAt: { $gt: new Date() } }).limit(100_000).toArray();
    for (const doc of docs) this.remember(doc._id, doc.at.getTime());
    this.lastSync = started;
    this.checkedAt = started;
    this.v = v;
  }

  private remember(id: string, at: number): void {
    if ((this.revoked.get(id) ?? 0) < at) this.revoked.set(id, at);
    if (this.revoked.size > 100_000) {
      const cutoff = Date.now() - this.accessTokenTtlMs;
      for (const [key, when] of this.revoked) if (when < cutoff) this.revoked.delete(key);
    }
  }

  /** Refuses every access token of `id` (a session or a user) issued until now. */
  async revoke(id: string): Promise<void> {
    const at = Date.now();
    this.remember(id, at);
    await this.collection.replaceOne({ _id: id }, { at: new Date(at), expiresAt: new Date(at + this.accessTokenTtlMs + 60_000) }, { upsert: true });
    await this.stamps.bump(stampKey, id);
  }

  /** Whether a token issued at `issuedAt` predates a revocation of `id` (call `current()` first). */
  isRevoked(id: string, issuedAt: number): boolean {
    const at = this.revoked.get(id);
    return at !== undefined && issuedAt <= at;
  }

  async sweep(): Promise<number> {
    return (await this.collection.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
  }
}
