/**
 * The proxy's request history: every request to an app is recorded here, outside the app's process,
 * and kept per app in one bounded MongoDB document (newest first, at most `maxRequestRecords`). Writes
 * are batched: the app's entries are held in memory and the dirty ones written every `flushMs`, so a
 * burst of requests costs one write per app, not one per request. A traceback the app reports for a
 * request (the runner's `request-exception` line, by request id) is attached to its entry, whichever
 * arrives first, and only when the proxy saw that request fail (a 5xx, or aborted): the report comes
 * from the app's own process, so it can never dress up a request that succeeded.
 */
import type { Collection } from 'mongodb';
import { maxRequestRecords, type RequestLogDoc, type RequestRecord } from '../../db/documents.js';

type AppError = NonNullable<RequestRecord['error']>;

/** What the proxy itself saw fail: an answer of 500 or more, or a client left without one (499). */
export function failed(entry: Pick<RequestRecord, 'status'>): boolean {
  return entry.status >= 500 || entry.status === 499;
}

interface AppHistory {
  readonly ownerId: string;
  entries: RequestRecord[];
  loaded: Promise<void>;
  dirty: boolean;
  writing: Promise<void>;
}

export class RequestRecorder {
  private readonly apps = new Map<string, AppHistory>();
  /** Tracebacks that arrived before their request finished, by request id (short-lived). */
  private readonly early = new Map<string, { appId: string; error: AppError; at: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly collection: Collection<RequestLogDoc>,
    private readonly log: (message: string) => void,
    flushMs = 500,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  private history(appId: string, ownerId: string): AppHistory {
    let history = this.apps.get(appId);
    if (!history) {
      const created: AppHistory = { ownerId, entries: [], loaded: Promise.resolve(), dirty: false, writing: Promise.resolve() };
      created.loaded = this.collection.findOne({ _id: appId }).then((doc) => {
        // Records made while loading are newer than the stored ones.
        if (doc && doc.ownerId === ownerId) created.entries = [...created.entries, ...doc.entries].slice(0, maxRequestRecords);
      }, (error: unknown) => this.log(`request history of ${appId} could not be read: ${String(error)}`));
      this.apps.set(appId, created);
      history = created;
    }
    return history;
  }

  record(appId: string, ownerId: string, entry: RequestRecord): void {
    const early = this.early.get(entry.id);
    if (early && early.appId === appId) {
      this.early.delete(entry.id);
      if (failed(entry)) entry.error = early.error;
    }
    const history = this.history(appId, ownerId);
    history.entries.unshift(entry);
    if (history.entries.length > maxRequestRecords) history.entries.length = maxRequestRecords;
    history.dirty = true;
  }

  /** The app's own report of an exception in a request; ignored unless the request id is that app's. */
  attachError(appId: string, requestId: string, error: AppError): void {
    const entry = this.apps.get(appId)?.entries.find((e) => e.id === requestId);
    if (entry) {
      if (!failed(entry) || entry.error) return;
      entry.error = error;
      const history = this.apps.get(appId);
      if (history) history.dirty = true;
      return;
    }
    const now = Date.now();
    for (const [id, pending] of this.early) if (now - pending.at > 60_000) this.early.delete(id);
    if (this.early.size < 10_000) this.early.set(requestId, { appId, error, at: now });
  }

  async flush(): Promise<void> {
    await Promise.all([...this.apps.entries()].filter(([, h]) => h.dirty).map(([appId, history]) => this.write(appId, history)));
  }

  private write(appId: string, history: AppHistory): Promise<void> {
    history.writing = history.writing.then(async () => {
      await history.loaded;
      if (!history.dirty || this.apps.get(appId) !== history) return;
      history.dirty = false;
      try {
        await this.collection.replaceOne(
          { _id: appId },
          { ownerId: history.ownerId, entries: history.entries, updatedAt: new Date() },
          { upsert: true },
        );
      } catch (error) {
        history.dirty = true;
        this.log(`request history of ${appId} could not be written: ${String(error)}`);
      }
    });
    return history.writing;
  }

  /** Stops recording for a removed app; resolves once no write of it is in flight (so none lands after its deletion). */
  async forget(appId: string): Promise<void> {
    const history = this.apps.get(appId);
    this.apps.delete(appId);
    await history?.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
