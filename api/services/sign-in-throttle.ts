/**
 * Failed sign-ins slow an attacker down without locking the owner out (NIST SP 800-63B §5.2.2). One
 * account is one key, whether the attempt named its username or its email. Failures count per
 * account *and* client address: after `free` failures in the window, each further attempt from that
 * address waits twice as long as the last (1 s, 2 s, 4 s … at most `maxDelayMs`), while the owner
 * signing in from anywhere else is not slowed at all. A guess spread over many addresses meets the
 * account-wide budget (`accountFree` failures), after which only addresses that signed in to the
 * account successfully before keep going undelayed. A success clears its address's failures.
 *
 * The failures live in the database (`counters`; each failure a counted event, counter.ts), so every
 * API replica throttles against the same count and concurrent failures are never under-counted:
 * an attacker switching replicas, or sending in parallel, gains nothing. Windows are aligned to
 * multiples of `windowMs`; a success starts a new generation of its address's counter.
 */
import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { CounterDoc } from '../db/documents.js';
import { RateLimitedError } from '../errors.js';
import { countEvent, readCounter } from './counter.js';
import { waitInWords } from './rate-limit.js';

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

  private windowStart(): number {
    const t = this.now();
    return t - (t % this.options.windowMs);
  }

  /** The counter of `key` in this window (an address's counter restarts after a success). */
  private async counter(key: string): Promise<string> {
    const generation = (await this.counters.findOne({ _id: `signin:gen:${key}` }))?.addresses?.[0] ?? '0';
    return `signin:f:${key}:${this.windowStart()}:${generation}`;
  }

  private async entry(key: string): Promise<CounterDoc | null> {
    return readCounter(this.counters, await this.counter(key));
  }

  private delay(entry: CounterDoc | null, free: number): number {
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
      throw new RateLimitedError(`Too many failed sign-ins for this account; wait ${waitInWords(seconds)} before trying again.`, seconds);
    }
  }

  async failed(account: string, address: string): Promise<void> {
    const t = this.now();
    const start = this.windowStart();
    const window = { start: new Date(start), expiresAt: new Date(start + this.options.windowMs) };
    await Promise.all([`${account}|${address}`, account].map(async (key) => countEvent(this.counters, await this.counter(key), new Date(t), window)));
  }

  async succeeded(account: string, address: string): Promise<void> {
    const t = this.now();
    const pair = `${account}|${address}`;
    // A new generation: the address's failures so far no longer count.
    await this.counters.replaceOne({ _id: `signin:gen:${pair}` }, {
      count: 0, windowStart: new Date(t), lastAt: new Date(t), expiresAt: new Date(t + this.options.windowMs), addresses: [randomBytes(6).toString('hex')],
    }, { upsert: true });
    const _id = `signin:t:${account}`;
    const known = (await this.counters.findOne({ _id }))?.addresses?.filter((a) => a !== address) ?? [];
    await this.counters.replaceOne({ _id }, {
      count: 0, windowStart: new Date(t), lastAt: new Date(t), expiresAt: new Date(t + trustDays * 86_400_000), addresses: [address, ...known].slice(0, 10),
    }, { upsert: true });
  }
}
