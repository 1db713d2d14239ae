/**
 * Fixed-window counters in the database, so every API replica counts against one budget (with N
 * replicas in memory, a limit would be N times the limit). One document per key (`<name>:<key>`),
 * incremented atomically by `_id` while its window lasts; `hit` counts an attempt and throws
 * RateLimitedError, with when to retry, once the window's budget is spent. Expired windows are swept.
 */
import type { Collection } from 'mongodb';
import { isDuplicateKey } from '../db/database.js';
import type { CounterDoc } from '../db/documents.js';
import { RateLimitedError } from '../errors.js';

export class RateLimiter {
  constructor(
    private readonly counters: Collection<CounterDoc>,
    /** Names the limit in the counters' ids. */
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private id(key: string): string {
    return `${this.name}:${key}`;
  }

  private refuse(doc: CounterDoc, what: string): never {
    const seconds = Math.max(1, Math.ceil((doc.windowStart.getTime() + this.windowMs - this.now()) / 1000));
    throw new RateLimitedError(`Too many ${what}; try again in ${seconds} s.`, seconds);
  }

  /** Counts one attempt in the key's current window (one starts at the first attempt after the last ended). */
  private async count(key: string, retried = false): Promise<CounterDoc | null> {
    const t = this.now();
    const _id = this.id(key);
    try {
      return await this.counters.findOneAndUpdate(
        { _id, windowStart: { $gt: new Date(t - this.windowMs) } },
        { $inc: { count: 1 }, $set: { lastAt: new Date(t) }, $setOnInsert: { windowStart: new Date(t), expiresAt: new Date(t + this.windowMs) } },
        { upsert: true, returnDocument: 'after' },
      );
    } catch (error) {
      // The key's document exists but its window is over (or another first attempt just created it).
      if (!isDuplicateKey(error) || retried) throw error;
    }
    await this.counters.deleteOne({ _id, windowStart: { $lte: new Date(t - this.windowMs) } });
    return this.count(key, true);
  }

  /** Throws when `key` already used its budget in this window; otherwise counts one attempt. */
  async hit(key: string, what: string): Promise<void> {
    const doc = await this.count(key);
    if (doc && doc.count > this.limit) this.refuse(doc, what);
  }

  async check(key: string, what: string): Promise<void> {
    const doc = await this.counters.findOne({ _id: this.id(key) });
    if (doc && doc.count >= this.limit && doc.windowStart.getTime() > this.now() - this.windowMs) this.refuse(doc, what);
  }

  async reset(key: string): Promise<void> {
    await this.counters.deleteOne({ _id: this.id(key) });
  }
}

/** Deletes every counter whose window is over (FerretDB has no TTL indexes). */
export async function sweepCounters(counters: Collection<CounterDoc>): Promise<number> {
  return (await counters.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
}
