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

/** What an engine answers per file: facts with the file's path, and a failure it must not cache. */
interface PathFacts {
  readonly path: string;
  readonly failure?: unknown;
}

/**
 * Facts for `files`: from the cache by `key`, the rest from `analyze` (in one batch, in order), cached
 * unless the engine failed on them. Returns the facts in the files' order and how many were analysed.
 */
export async function cachedFacts<F, Facts extends PathFacts>(
  cache: FactsCache<Omit<Facts, 'path'>>, files: readonly F[], key: (file: F) => string, path: (file: F) => string,
  analyze: (files: readonly F[]) => Promise<Facts[]>,
): Promise<{ facts: Facts[]; analyzed: number }> {
  const keys = files.map(key);
  const facts: (Facts | undefined)[] = files.map((file, i) => {
    const cached = cache.get(keys[i] ?? '');
    return cached ? ({ ...cached, path: path(file) } as Facts) : undefined;
  });
  const missing = files.flatMap((file, i) => (facts[i] ? [] : [{ i, file }]));
  if (missing.length > 0) {
    const fresh = await analyze(missing.map(({ file }) => file));
    missing.forEach(({ i }, k) => {
      const result = fresh[k];
      if (!result) return;
      facts[i] = result;
      if (!result.failure) {
        const { path: _path, ...cached } = result;
        cache.set(keys[i] ?? '', cached);
      }
    });
  }
  return { facts: facts.filter((f): f is Facts => f !== undefined), analyzed: missing.length };
}
