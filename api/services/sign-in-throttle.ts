/**
 * Failed sign-ins slow an attacker down without locking the owner out (NIST SP 800-63B §5.2.2). One
 * account is one key, whether the attempt named its username or its email. Failures count per
 * account *and* client address: after `free` failures in the window, each further attempt from that
 * address waits twice as long as the last (1 s, 2 s, 4 s … at most `maxDelayMs`), while the owner
 * signing in from anywhere else is not slowed at all. A guess spread over many addresses meets the
 * account-wide budget (`accountFree` failures), after which only addresses that signed in to the
 * account successfully before keep going undelayed. A success clears its address's failures.
 *
 * The counts live in the database (`counters`, by `_id`), so every API replica throttles against the
 * same failures: an attacker switching replicas gains nothing.
 */
import type { Collection } from 'mongodb';
import type { CounterDoc } from '../db/documents.js';
import { RateLimitedError } from '../errors.js';

export interface ThrottleOptions {
  readonly windowMs: number;
  /** Failures per account and address before delays begin. */
  readonly free: number;
  /** Failures per account, from all addresses, before untrusted addresses are delayed. */
  readonly accountFree: number;
  readonly maxDelayMs: number;
  readonly now?: () => number;
}

const defaults: ThrottleOptions = { windowMs: 15 * 60_000, free: 5, accountFree: 50, maxDelayMs: 60_000 };
const trustDays = 30;

export class SignInThrottle {
  private readonly options: ThrottleOptions;
  private readonly now: () => number;

  constructor(private readonly counters: Collection<CounterDoc>, options: Partial<ThrottleOptions> = {}) {
    this.options = { ...defaults, ...options };
    this.now = options.now ?? Date.now;
  }

  private async entry(key: string): Promise<CounterDoc | undefined> {
    const entry = await this.counters.findOne({ _id: `signin:f:${key}` });
    return entry && this.now() - entry.windowStart.getTime() <= this.options.windowMs ? entry : undefined;
  }

  private delay(entry: CounterDoc | undefined, free: number): number {
    if (!entry || entry.count < free) return 0;
    const wait = Math.min(1000 * 2 ** (entry.count - free), this.options.maxDelayMs);
    return Math.max(0, entry.lastAt.getTime() + wait - this.now());
  }

  private async isTrusted(account: string, address: string): Promise<boolean> {
    const known = await this.counters.findOne({ _id: `signin:t:${account}` });
    return known !== null && this.now() - known.lastAt.getTime() < trustDays * 86_400_000 && (known.addresses ?? []).includes(address);
  }

  /** Throws RateLimitedError when an attempt for `account` from `address` must wait. */
  async check(account: string, address: string): Promise<void> {
    const [pair, whole, trusted] = await Promise.all([this.entry(`${account}|${address}`), this.entry(account), this.isTrusted(account, address)]);
    let wait = this.delay(pair, this.options.free);
    if (!trusted) wait = Math.max(wait, this.delay(whole, this.options.accountFree));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new RateLimitedError(`Too many failed sign-ins for this account; wait ${seconds} s before trying again.`, seconds);
    }
  }

  async failed(account: string, address: string): Promise<void> {
    const t = this.now();
    await Promise.all([`${account}|${address}`, account].map(async (key) => {
      const _id = `signin:f:${key}`;
      // Counted in the current window if there is one, atomically; otherwise a new window starts.
      const counted = await this.counters.updateOne({ _id, windowStart: { $gt: new Date(t - this.options.windowMs) } }, { $inc: { count: 1 }, $set: { lastAt: new Date(t) } });
      if (counted.matchedCount === 0) {
        await this.counters.replaceOne({ _id }, { count: 1, windowStart: new Date(t), lastAt: new Date(t), expiresAt: new Date(t + this.options.windowMs) }, { upsert: true });
      }
    }));
  }

  async succeeded(account: string, address: string): Promise<void> {
    const t = this.now();
    await this.counters.deleteOne({ _id: `signin:f:${account}|${address}` });
    const _id = `signin:t:${account}`;
    const known = (await this.counters.findOne({ _id }))?.addresses?.filter((a) => a !== address) ?? [];
    await this.counters.replaceOne({ _id }, {
      count: 0, windowStart: new Date(t), lastAt: new Date(t), expiresAt: new Date(t + trustDays * 86_400_000), addresses: [address, ...known].slice(0, 10),
    }, { upsert: true });
  }
}
