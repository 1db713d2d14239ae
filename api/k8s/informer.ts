/**
 * A list-then-watch cache of one kind in one namespace (what client-go calls an informer): list,
 * then watch from the list's resourceVersion; a watch the server ends is resumed from the last
 * version seen, and one that fails (or expired: 410 Gone) is re-listed after a back-off, with the
 * differences reported as changes. Objects are kept as the apiserver's JSON.
 */
import * as k8s from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import type { Meta } from './objects.js';

export type ChangeType = 'added' | 'modified' | 'deleted';

export interface InformerOptions<T> {
  readonly client: KubeClient;
  /** e.g. `/apis/apps/v1/namespaces/<ns>/deployments`. */
  readonly path: string;
  readonly labelSelector?: string;
  readonly onChange: (type: ChangeType, object: T) => void;
  readonly onError: (message: string) => void;
  /** What of each object to keep (e.g. its metadata only, so a cache of ConfigMaps holds no code). */
  readonly keep?: (object: T) => T;
}

interface ListJson<T> {
  items?: T[];
  metadata?: { resourceVersion?: string };
}

export class Informer<T extends { metadata: Meta }> {
  private readonly objects = new Map<string, T>();
  private resourceVersion = '';
  private abort: AbortController | null = null;
  private stopped = false;
  private backoffMs = 500;
  private retry: NodeJS.Timeout | null = null;
  private syncedOnce: Promise<void>;
  private markSynced: () => void = () => {};

  constructor(private readonly options: InformerOptions<T>) {
    this.syncedOnce = new Promise((resolve) => { this.markSynced = resolve; });
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  get(name: string): T | undefined {
    return this.objects.get(name);
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    this.stopped = false;
    void this.relist();
    await this.syncedOnce;
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.abort?.abort();
    this.abort = null;
  }

  private query(): Record<string, string> {
    return this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {};
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const list = await this.options.client.objects.getJson<ListJson<T>>(this.options.path, this.query());
      const seen = new Set<string>();
      for (const item of list.items ?? []) {
        seen.add(item.metadata.name);
        this.upsert(item);
      }
      for (const [name, object] of this.objects) {
        if (!seen.has(name)) {
          this.objects.delete(name);
          this.options.onChange('deleted', object);
        }
      }
      this.resourceVersion = list.metadata?.resourceVersion ?? '';
      this.markSynced();
      await this.watch();
    } catch (error) {
      this.failed(`listing ${this.options.path} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private upsert(received: T): void {
    const object = this.options.keep ? this.options.keep(received) : received;
    const before = this.objects.get(object.metadata.name);
    if (before?.metadata.resourceVersion === object.metadata.resourceVersion) return;
    this.objects.set(object.metadata.name, object);
    this.options.onChange(before ? 'modified' : 'added', object);
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const watcher = new k8s.Watch(this.options.client.config);
    let expired = false;
    this.abort = await watcher.watch(this.options.path, { ...this.query(), resourceVersion: this.resourceVersion, allowWatchBookmarks: true }, (type, object: T & { code?: number }) => {
      this.backoffMs = 500;
      if (type === 'ERROR') {
        expired = object.code === 410;
        return;
      }
      if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
      if (type === 'ADDED' || type === 'MODIFIED') this.upsert(object);
      else if (type === 'DELETED' && this.objects.delete(object.metadata.name)) this.options.onChange('deleted', object);
    }, (error: unknown) => {
      this.abort = null;
      if (this.stopped) return;
      if (expired) return void this.relist();
      if (error && !(error instanceof Error && error.name === 'AbortError')) this.failed(`watching ${this.options.path} failed: ${String(error)}`);
      else void this.watch().catch((e: unknown) => this.failed(`watching ${this.options.path} failed: ${String(e)}`));
    });
  }

  /** Logs, then lists afresh after a back-off (a watch that failed may have missed events). */
  private failed(message: string): void {
    if (this.stopped) return;
    this.options.onError(message);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    this.retry = setTimeout(() => void this.relist(), delay);
    this.retry.unref();
  }
}
