/**
 * Facts by content hash, so a file that did not change is never analysed again. Least recently used
 * entries go first once the cache holds `capacity` files. Facts depend only on a file's text and on
 * what the key adds (whether it is the entrypoint, its extension), so the cache is safely shared by
 * every project and tenant.
 */
export class FactsCache<CachedFacts> {
  private readonly entries = new Map<string, CachedFacts>();

  constructor(private readonly capacity = 5000) {}

  get(key: string): CachedFacts | undefined {
    const facts = this.entries.get(key);
    if (facts) {
      this.entries.delete(key);
      this.entries.set(key, facts);
    }
    return facts;
  }

  set(key: string, facts: CachedFacts): void {
    this.entries.delete(key);
    this.entries.set(key, facts);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
