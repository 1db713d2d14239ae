/**
 * Revoked sessions and users. An access token is self-contained (no database read per request), so a
 * revocation must reach every verifier: it is written to the database (`revocations`, one document per
 * revoked id, kept for an access token's lifetime), held in memory, loaded at boot, and picked up from
 * the database every `syncMs`, so it survives a restart and reaches other API processes. The process
 * that revokes applies it at once.
 */
import type { Collection } from 'mongodb';
import type { RevocationDoc } from '../db/documents.js';

export class RevocationService {
  private readonly revoked = new Map<string, number>();
  private lastSync = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly collection: Collection<RevocationDoc>, private readonly accessTokenTtlMs: number) {}

  /** Loads what is still in force and keeps following the collection. */
  async start(syncMs = 2000): Promise<void> {
    await this.sync();
    this.timer ??= setInterval(() => void this.sync().catch(() => {}), syncMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sync(): Promise<void> {
    const since = new Date(this.lastSync - 5000);
    const docs = await this.collection.find({ at: { $gte: since }, expiresAt: { $gt: new Date() } }).limit(100_000).toArray();
    for (const doc of docs) this.remember(doc._id, doc.at.getTime());
    this.lastSync = Date.now();
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
  }

  /** Whether a token issued at `issuedAt` predates a revocation of `id`. */
  isRevoked(id: string, issuedAt: number): boolean {
    const at = this.revoked.get(id);
    return at !== undefined && issuedAt <= at;
  }

  async sweep(): Promise<number> {
    return (await this.collection.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
  }
}
