/**
 * Failed sign-ins slow an attacker down without locking the owner out (NIST SP 800-63B §5.2.2). One
 * account is one key, whether the attempt named its username or its email. Failures count per
 * account *and* client address: after `free` failures in the window, each further attempt from that
 * address waits twice as long as the last (1 s, 2 s, 4 s … at most `maxDelayMs`), while the owner
 * signing in from anywhere else is not slowed at all. A guess spread over many addresses meets the
 * account-wide budget (`accountFree` failures), after which only addresses that signed in to the
 * account successfully before keep going undelayed. A success clears its address's failures.
 */
import { RateLimitedError } from '../errors.js';
import { waitInWords } from './rate-limit.js';

interface Failures {
  count: number;
  windowStart: number;
  lastAt: number;
}

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

export class SignInThrottle {
  private readonly failures = new Map<string, Failures>();
  /** Addresses that signed in to an account (the newest few), exempt from the account-wide budget. */
  private readonly trusted = new Map<string, { addresses: string[]; at: number }>();
  private readonly options: ThrottleOptions;
  private readonly now: () => number;

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...defaults, ...options };
    this.now = options.now ?? Date.now;
  }

  private entry(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.windowStart > this.options.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private delay(entry: Failures | undefined, free: number): number {
    if (!entry || entry.count < free) return 0;
    const wait = Math.min(1000 * 2 ** (entry.count - free), this.options.maxDelayMs);
    return Math.max(0, entry.lastAt + wait - this.now());
  }

  private isTrusted(account: string, address: string): boolean {
    const known = this.trusted.get(account);
    return known !== undefined && this.now() - known.at < 30 * 86_400_000 && known.addresses.includes(address);
  }

  /** Throws RateLimitedError when an attempt for `account` from `address` must wait. */
  check(account: string, address: string): void {
    let wait = this.delay(this.entry(`${account}|${address}`), this.options.free);
    if (!this.isTrusted(account, address)) wait = Math.max(wait, this.delay(this.entry(account), this.options.accountFree));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new RateLimitedError(`Too many failed sign-ins for this account; wait ${waitInWords(seconds)} before trying again.`, seconds);
    }
  }

  failed(account: string, address: string): void {
    const t = this.now();
    for (const key of [`${account}|${address}`, account]) {
      const entry = this.entry(key) ?? { count: 0, windowStart: t, lastAt: t };
      entry.count += 1;
      entry.lastAt = t;
      this.failures.set(key, entry);
    }
    if (this.failures.size > 100_000) this.prune();
  }

  succeeded(account: string, address: string): void {
    this.failures.delete(`${account}|${address}`);
    const known = this.trusted.get(account)?.addresses.filter((a) => a !== address) ?? [];
    this.trusted.set(account, { addresses: [address, ...known].slice(0, 10), at: this.now() });
  }

  private prune(): void {
    const t = this.now();
    for (const [key, entry] of this.failures) if (t - entry.windowStart > this.options.windowMs) this.failures.delete(key);
  }
}
