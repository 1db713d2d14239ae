/**
 * Per-owner directories: the summaries of one owner's apps (or templates), held in memory, so "list
 * mine" never scans every tenant's data. FerretDB 1.24 (SQLite) pushes down only exact `_id` matches,
 * so any other query scans the whole collection; and decoding one document with a thousand nested
 * entries costs it over 100 ms, so a persisted directory would not help. An owner's directory is
 * loaded from the source collection on first use (one query per owner per process), then kept in step
 * by every write, which all go through this process: the API runs as a single replica (it also
 * reconciles; see ARCHITECTURE.md). Least recently used owners are evicted past `capacity`.
 */
export class Directory<T extends { id: string }> {
  private readonly owners = new Map<string, Map<string, T>>();
  private readonly loading = new Map<string, Promise<Map<string, T>>>();

  constructor(
    /** Reads an owner's entries from the source collection. */
    private readonly source: (ownerId: string) => Promise<T[]>,
    private readonly capacity = 10_000,
  ) {}

  private async load(ownerId: string): Promise<Map<string, T>> {
    const cached = this.owners.get(ownerId);
    if (cached) {
      this.owners.delete(ownerId);
      this.owners.set(ownerId, cached);
      return cached;
    }
    let pending = this.loading.get(ownerId);
    if (!pending) {
      pending = this.source(ownerId).then((entries) => {
        const loaded = new Map(entries.map((e) => [e.id, e]));
        this.owners.set(ownerId, loaded);
        if (this.owners.size > this.capacity) this.owners.delete(this.owners.keys().next().value as string);
        return loaded;
      }).finally(() => this.loading.delete(ownerId));
      this.loading.set(ownerId, pending);
    }
    return pending;
  }

  async list(ownerId: string): Promise<T[]> {
    return [...(await this.load(ownerId)).values()];
  }

  /** Inserts or replaces the entry with `entry.id`. */
  async put(ownerId: string, entry: T): Promise<void> {
    (await this.load(ownerId)).set(entry.id, entry);
  }

  async remove(ownerId: string, id: string): Promise<void> {
    (await this.load(ownerId)).delete(id);
  }

  drop(ownerId: string): void {
    this.owners.delete(ownerId);
  }
}
