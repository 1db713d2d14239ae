/**
 * An append-only, bounded feed with cursors: the last `capacity` items are kept, each with a sequence
 * number; readers resume after a cursor (no duplicates, no gaps while the item is still held), and
 * followers wait for new items. Used for an app's log lines and for a rollout's progress events.
 */
export interface FeedItem<T> {
  readonly seq: number;
  readonly item: T;
}

export class Feed<T> {
  private readonly items: FeedItem<T>[] = [];
  private next = 1;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly capacity: number) {}

  push(item: T): number {
    const seq = this.next++;
    this.items.push({ seq, item });
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    this.wake();
    return seq;
  }

  /** Items after `seq` (0: everything held). */
  after(seq: number): FeedItem<T>[] {
    const first = this.items.findIndex((i) => i.seq > seq);
    return first === -1 ? [] : this.items.slice(first);
  }

  tail(n: number): FeedItem<T>[] {
    return this.items.slice(-n);
  }

  get lastSeq(): number {
    return this.next - 1;
  }

  /** Ends every follower (the feed's subject is gone). */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  /** Items after `seq`, then new ones as they arrive, until the signal aborts or the feed closes. */
  async *follow(seq: number, signal?: AbortSignal): AsyncGenerator<FeedItem<T>> {
    let cursor = seq;
    while (!signal?.aborted) {
      for (const entry of this.after(cursor)) {
        cursor = entry.seq;
        yield entry;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.waiters.add(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}
