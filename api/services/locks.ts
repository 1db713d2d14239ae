/**
 * Mutual exclusion on FerretDB as well as MongoDB: a lock is a document whose `_id` is the lock's
 * name, so exactly one insert wins (E11000 for the rest). A lock carries an expiry, checked on read:
 * the holder of an expired lock (a crashed process) is replaced by deleting that exact document
 * (same holder and expiry) and inserting again, where once more only one contender can win. A live
 * holder renews its expiry every third of the TTL, so the TTL can be short (a crashed holder's lock
 * frees soon) however long the work takes.
 */
import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import { ConflictError } from '../errors.js';
import { isDuplicateKey } from '../db/database.js';
import type { LockDoc } from '../db/documents.js';

export interface LockOptions {
  /** How long the lock holds without release (crash safety). */
  readonly ttlMs: number;
  /** How long to wait for a held lock before giving up with ConflictError. */
  readonly waitMs: number;
}

export class LockService {
  constructor(private readonly locks: Collection<LockDoc>, private readonly now: () => Date = () => new Date()) {}

  private async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    try {
      await this.locks.insertOne({ _id: name, holder, expiresAt: new Date(this.now().getTime() + ttlMs) });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const current = await this.locks.findOne({ _id: name });
    if (current && current.expiresAt <= this.now()) {
      await this.locks.deleteOne({ _id: name, holder: current.holder, expiresAt: current.expiresAt });
    }
    return false;
  }

  async withLock<T>(name: string, options: LockOptions, work: () => Promise<T>, busyMessage: string): Promise<T> {
    const holder = randomBytes(8).toString('hex');
    const deadline = Date.now() + options.waitMs;
    while (!(await this.tryAcquire(name, holder, options.ttlMs))) {
      if (Date.now() >= deadline) throw new ConflictError(busyMessage);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
    }
    const renew = setInterval(() => {
      this.locks.updateOne({ _id: name, holder }, { $set: { expiresAt: new Date(this.now().getTime() + options.ttlMs) } }).catch(() => {});
    }, Math.max(options.ttlMs / 3, 10));
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.locks.deleteOne({ _id: name, holder });
    }
  }
}

/**
 * The per-app lock that deploys, env changes, reconcile, sleeping and waking share, across every
 * process on the database (API replicas, gateway replicas). Renewed while held, so a lock left by a
 * crashed process frees within 15 s.
 */
export function withAppLock<T>(locks: LockService, appId: string, work: () => Promise<T>, waitMs = 30_000): Promise<T> {
  return locks.withLock(`deploy:${appId}`, { ttlMs: 15_000, waitMs }, work,
    'Another deploy of this app is still being handed to the runtime; try again in a moment.');
}
