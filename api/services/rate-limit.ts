/**
 * Fixed-window counters in memory (the API runs as one replica): `hit` counts an attempt under a key
 * and throws RateLimitedError, with when to retry, once the window's budget is spent.
 */
import { RateLimitedError } from '../errors.js';

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private window(key: string): { count: number; resetAt: number } {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= t) {
      w = { count: 0, resetAt: t + this.windowMs };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.sweep(t);
    }
    return w;
  }

  /** Throws when `key` already used its budget in this window; otherwise counts one attempt. */
  hit(key: string, what: string): void {
    this.check(key, what);
    this.window(key).count += 1;
  }

  check(key: string, what: string): void {
    const w = this.window(key);
    if (w.count >= this.limit) {
      const seconds = Math.max(1, Math.ceil((w.resetAt - this.now()) / 1000));
      throw new RateLimitedError(`Too many ${what}; try again in ${waitInWords(seconds)}.`, seconds);
    }
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(t: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= t) this.windows.delete(key);
  }
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
