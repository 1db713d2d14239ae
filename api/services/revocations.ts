/**
 * Revoked sessions and users. An access token is self-contained (no database read per request), so a
 * revocation must reach every verifier: it is written to the database (`revocations`, one document per
 * revoked id, kept for an access token's lifetime), held in memory and loaded at boot, so it survives
 * a restart. Every revocation bumps the `revocations` stamp (stamps.ts), and every verification checks
 * that stamp first (a shared `_id` read), so a revocation made on one API replica is in force on every
 * other at its next request. Changes are fetched only when the stamp moved.
 */
import type { Collection } from 'mongodb';
import type { RevocationDoc } from '../db/documents.js';
import type { Stamps } from './stamps.js';

const stampKey = 'revocations';

export class RevocationService {
  private readonly revoked = new Map<string, number>();
  private lastSync = 0;
  /** The stamp this process has caught up with (-1: not loaded). */
  private v = -1;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly collection: Collection<RevocationDoc>, private readonly accessTokenTtlMs: number, private readonly stamps: Stamps) {}

  /** Loads what is still in force. */
  async start(): Promise<void> {
    await this.current();
  }

  stop(): void {}

  /** Catches up with every revocation any replica finished before this call. */
  async current(): Promise<void> {
    const { v } = await this.stamps.read(stampKey);
    if (this.v >= v && this.v >= 0) return;
    // One catch-up at a time, each after the one before (which may have read an older stamp).
    const run = this.syncing.catch(() => undefined).then(() => this.sync(v));
    this.syncing = run;
    await run;
  }

  private async sync(v: number): Promise<void> {
    if (this.v >= v && this.v >= 0) return;
    // Replicas' clocks differ a little: re-read a margin before the last catch-up.
    const since = new Date(this.lastSync - 60_000);
    const started = Date.now();
    const docs = await this.collection.find({ at: { $gte: since }, expiresAt: { $gt: new Date() } }).limit(100_000).toArray();
    for (const doc of docs) this.remember(doc._id, doc.at.getTime());
    this.lastSync = started;
    this.v = Math.max(this.v, v);
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
