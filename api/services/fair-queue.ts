/**
 * First come, first served for contended writes. The database's writer (SQLite behind FerretDB, which
 * has no transactions) takes one writer at a time, and its busy handler retries with growing sleeps:
 * left to it, 50 concurrent saves finish in no particular order and a few wait many times the median.
 * Here at most `concurrency` run at once and the rest wait in arrival order, and each key (an app) may
 * have at most `perKey` waiting, so one app's burst cannot fill the line for everyone else.
 * Correctness does not rest on this queue (replicas each have their own): the revision
 * compare-and-set on the draft's `_id` does; this only makes the waiting fair within a replica.
 */
import { RateLimitedError } from '../errors.js';

export class FairQueue {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly perKeyCount = new Map<string, number>();

  constructor(private readonly concurrency: number, private readonly perKey: number) {}

  async run<T>(key: string, what: string, work: () => Promise<T>): Promise<T> {
    const queued = this.perKeyCount.get(key) ?? 0;
    if (queued >= this.perKey) throw new RateLimitedError(`Too many ${what} of this app are waiting; try again in a second.`, 1);
    this.perKeyCount.set(key, queued + 1);
    try {
      if (this.active < this.concurrency) this.active += 1;
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
      try {
        return await work();
      } finally {
        // The slot passes straight to the oldest waiter.
        const next = this.waiting.shift();
        if (next) next();
        else this.active -= 1;
      }
    } finally {
      const left = (this.perKeyCount.get(key) ?? 1) - 1;
      if (left > 0) this.perKeyCount.set(key, left);
      else this.perKeyCount.delete(key);
    }
  }
}
