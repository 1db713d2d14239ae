/**
 * Entries kept sorted on write (binary search, one splice), so a page is a binary search for the
 * cursor plus a walk of the page: the cost of a listing follows the page, not the owner's total.
 */
export class Ordered<T extends { id: string }> {
  private readonly byId = new Map<string, T>();
  private readonly sorted: T[];

  constructor(private readonly order: (a: T, b: T) => number, entries: readonly T[] = []) {
    for (const entry of entries) this.byId.set(entry.id, entry);
    this.sorted = [...this.byId.values()].sort(order);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The index of the first entry for which `after(entry)` holds (`after` must be monotone in the order). */
  firstWhere(after: (entry: T) => boolean): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(this.sorted[mid] as T)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private indexOf(entry: T): number {
    const at = this.firstWhere((e) => this.order(e, entry) >= 0);
    for (let i = at; i < this.sorted.length; i++) {
      if (this.sorted[i] === entry) return i;
      if (this.order(this.sorted[i] as T, entry) > 0) break;
    }
    return this.sorted.indexOf(entry);
  }

  put(entry: T): void {
    this.remove(entry.id);
    this.byId.set(entry.id, entry);
    this.sorted.splice(this.firstWhere((e) => this.order(e, entry) > 0), 0, entry);
  }

  remove(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    const at = this.indexOf(old);
    if (at >= 0) this.sorted.splice(at, 1);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** From index `start` on, the first `limit` entries that `keep` accepts, and whether more follow. */
  walk(start: number, limit: number, keep: (entry: T) => boolean = () => true): { page: T[]; more: boolean } {
    const page: T[] = [];
    for (let i = start; i < this.sorted.length; i++) {
      const entry = this.sorted[i] as T;
      if (!keep(entry)) continue;
      if (page.length === limit) return { page, more: true };
      page.push(entry);
    }
    return { page, more: false };
  }

  all(): T[] {
    return [...this.sorted];
  }
}
