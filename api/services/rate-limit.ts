/**
 * Fixed-window rate limits in the database, so every API replica counts against one budget (with N
 * replicas in memory, a limit would be N times the limit). Windows are aligned to multiples of the
 * window's length; each attempt is one counted event (counter.ts: unique inserts, so concurrent
 * attempts are never under-counted, even on FerretDB); `hit` throws RateLimitedError, with when to
 * retry, once the window's budget is spent, and writes nothing more then.
 */
import type { Collection } from 'mongodb';
import type { CounterDoc } from '../db/documents.js';
import { RateLimitedError } from '../errors.js';
import { countEvent } from './counter.js';

export class RateLimiter {
  constructor(
    private readonly counters: Collection<CounterDoc>,
    /** Names the limit in the counters' ids. */
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws when `key` already used its budget in this window; otherwise counts one attempt. */
  async hit(key: string, what: string): Promise<void> {
    const t = this.now();
    const start = t - (t % this.windowMs);
    const counted = await countEvent(this.counters, `${this.name}:${key}:${start}`, new Date(t), { start: new Date(start), expiresAt: new Date(start + this.windowMs) }, this.limit);
    if (!counted) {
      const seconds = Math.max(1, Math.ceil((start + this.windowMs - t) / 1000));
      throw new RateLimitedError(`Too many ${what}; try again in ${waitInWords(seconds)}.`, seconds);
    }
  }
}

/** Deletes every counter whose window is over (FerretDB has no TTL indexes). */
export async function sweepCounters(counters: Collection<CounterDoc>): Promise<number> {
  return (await counters.deleteMany({ expiresAt: { $lte: new Date() } })).deletedCount;
}

/** A wait as people say it: "45 seconds", "2 minutes", "15 minutes", "1 hour 30 minutes" (never "900 s"). */
export function waitInWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 90) return unit(Math.max(1, Math.round(seconds)), 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${unit(hours, 'hour')} ${unit(minutes % 60, 'minute')}` : unit(hours, 'hour');
}
