/**
 * Counting in the database that every API replica shares and no race under-counts: FerretDB 1.24 loses
 * concurrent `$inc`s (ARCHITECTURE.md), so each counted event is its own inserted document
 * `<counter>:<n>` at the first free `n` after the counter's head hint, and exactly one insert wins each
 * `n`. The head hint (`<counter>:head`) carries the newest count and when it was reached; it may lag
 * under races, never the entries. Entries expire with their window and are swept.
 */
import type { Collection } from 'mongodb';
import { isDuplicateKey } from '../db/database.js';
import type { CounterDoc } from '../db/documents.js';

export interface Counted {
  /** This event's number in the counter (1 for the first). */
  readonly count: number;
}

/** The counter's newest count and when it was reached, from its head hint (0 when none). */
export async function readCounter(counters: Collection<CounterDoc>, counter: string): Promise<CounterDoc | null> {
  return counters.findOne({ _id: `${counter}:head` });
}

/**
 * Counts one event unless the counter already reached `cap` (then returns null and writes nothing).
 * `windowStart`/`expiresAt` bound the counter's life.
 */
export async function countEvent(
  counters: Collection<CounterDoc>, counter: string, at: Date, window: { start: Date; expiresAt: Date }, cap = Number.POSITIVE_INFINITY,
): Promise<Counted | null> {
  const hint = await readCounter(counters, counter);
  for (let n = (hint?.count ?? 0) + 1; ; n++) {
    // Every entry up to n-1 exists (the hint never runs ahead of them, and a collision means taken).
    if (n > cap) return null;
    try {
      await counters.insertOne({ _id: `${counter}:${n}`, count: n, windowStart: window.start, lastAt: at, expiresAt: window.expiresAt });
    } catch (error) {
      if (isDuplicateKey(error)) continue;
      throw error;
    }
    await counters.replaceOne({ _id: `${counter}:head` }, { count: n, windowStart: window.start, lastAt: at, expiresAt: window.expiresAt }, { upsert: true });
    return { count: n };
  }
}
