/**
 * Request records and per-minute metrics, written by the gateway off the request path and read by the
 * API. FerretDB 1.24 makes no single-document update atomic and pushes down only exact `_id` lookups,
 * so everything is keyed for `_id` reads and each document has exactly one writer:
 *   - `traffic_minutes/<app>:<minute>:<replica>`: that replica's requests to that app in that minute
 *     (the newest records, at most `maxRecordsPerMinute`; status-class counts, a latency histogram, bytes,
 *     cold starts: exact, whatever was dropped), replaced as a whole at each flush;
 *   - `traffic_index/<app>:<replica>`: the minutes that replica has documents for (newest first);
 *   - `gateway_replicas/<replica>`: which replicas exist (a heartbeat), so a reader knows whose index
 *     documents to ask for.
 * Rollups are summed on read. Records are kept for `retentionMinutes` (a week); under pressure
 * (more pending than `maxPending`) records are dropped and counted, never delaying a request; counts
 * are never dropped. No read scans another app's documents.
 */
import type { Collection } from 'mongodb';
import { addInto, bucketOf, emptyHistogram } from './histogram.js';

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
export const statusClasses: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export interface RecordedError {
  type: string;
  message: string;
  traceback: string;
  file: string | null;
  line: number | null;
}

export interface TrafficRecord {
  id: string;
  at: Date;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  bytes: number;
  /** The app's version that answered, when known. */
  version: number | null;
  /** The request waited for the app to start (a wake or a first start). */
  coldStart: boolean;
  /** How long it waited, for a cold request. */
  wakeMs: number | null;
  error: RecordedError | null;
}

export interface MinuteDoc {
  _id: string;
  appId: string;
  ownerId: string;
  minute: number;
  replica: string;
  entries: TrafficRecord[];
  dropped: number;
  requests: number;
  classes: Record<StatusClass, number>;
  histogram: number[];
  bytes: number;
  cold: number;
  /** When the minute's last request ended (ms): idleness is measured from it, not from the minute's end. */
  lastAt?: number;
  updatedAt: Date;
}

export interface IndexDoc {
  _id: string;
  appId: string;
  ownerId: string;
  replica: string;
  minutes: number[];
  updatedAt: Date;
}

export interface ReplicaDoc {
  _id: string;
  seenAt: Date;
}

export interface TrafficCollections {
  readonly minutes: Collection<MinuteDoc>;
  readonly index: Collection<IndexDoc>;
  readonly replicas: Collection<ReplicaDoc>;
}

export const retentionMinutes = 7 * 24 * 60;
/** The platform-wide rollup (counts only) lives under this pseudo app id (no app id starts with "_"). */
export const allApps = '_all';
const platformOwner = '_platform';
const minuteOf = (at: Date) => Math.floor(at.getTime() / 60_000);
export const minuteId = (appId: string, minute: number, replica: string) => `${appId}:${minute}:${replica}`;
export const indexId = (appId: string, replica: string) => `${appId}:${replica}`;

function emptyMinute(appId: string, ownerId: string, minute: number, replica: string): MinuteDoc {
  return {
    _id: minuteId(appId, minute, replica), appId, ownerId, minute, replica, entries: [], dropped: 0, requests: 0,
    classes: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: emptyHistogram(), bytes: 0, cold: 0, updatedAt: new Date(),
  };
}

export function classOf(status: number): StatusClass {
  const digit = Math.min(5, Math.max(1, Math.floor(status / 100)));
  return `${digit}xx` as StatusClass;
}

interface Pending {
  doc: MinuteDoc;
  loaded: Promise<void>;
  dirty: boolean;
}

interface AppIndex {
  doc: IndexDoc;
  loaded: Promise<void>;
  dirty: boolean;
}

/** Cumulative since this process started: what /metrics exposes. */
export interface Totals {
  requests: Record<StatusClass, number>;
  histogram: number[];
  latencySumMs: number;
  bytes: number;
  cold: number;
}

export interface WriterOptions {
  readonly replica: string;
  readonly flushMs?: number;
  readonly maxRecordsPerMinute?: number;
  readonly maxPending?: number;
  readonly log: (message: string) => void;
}

export class TrafficWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly indexes = new Map<string, AppIndex>();
  private readonly totals = new Map<string, Totals>();
  private readonly forgotten = new Set<string>();
  private pendingRecords = 0;
  private droppedTotal = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** The first heartbeat: readers learn of this replica from it, so no document is written before it. */
  private readonly announced: Promise<void>;
  private readonly timer: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxPerMinute: number;
  private readonly maxPending: number;

  constructor(private readonly collections: TrafficCollections, private readonly options: WriterOptions) {
    this.maxPerMinute = options.maxRecordsPerMinute ?? 300;
    this.maxPending = options.maxPending ?? 20_000;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 500);
    this.timer.unref();
    this.announced = this.beat();
    this.heartbeat = setInterval(() => void this.beat(), 60_000);
    this.heartbeat.unref();
  }

  get replica(): string {
    return this.options.replica;
  }

  private async beat(): Promise<void> {
    await this.collections.replicas.replaceOne({ _id: this.options.replica }, { seenAt: new Date() }, { upsert: true }).catch(() => {});
  }

  private indexOf(appId: string, ownerId: string): AppIndex {
    let index = this.indexes.get(appId);
    if (!index) {
      const created: AppIndex = { doc: { _id: indexId(appId, this.options.replica), appId, ownerId, replica: this.options.replica, minutes: [], updatedAt: new Date() }, loaded: Promise.resolve(), dirty: false };
      // A restarted replica with the same name continues its own index rather than replacing it.
      created.loaded = this.collections.index.findOne({ _id: created.doc._id }).then((stored) => {
        if (stored) created.doc.minutes = [...new Set([...created.doc.minutes, ...stored.minutes])].sort((a, b) => b - a);
      }, () => {});
      this.indexes.set(appId, created);
      index = created;
    }
    return index;
  }

  private pendingOf(appId: string, ownerId: string, minute: number): Pending {
    const key = `${appId}:${minute}`;
    let entry = this.pending.get(key);
    if (!entry) {
      const created: Pending = { doc: emptyMinute(appId, ownerId, minute, this.options.replica), loaded: Promise.resolve(), dirty: false };
      created.loaded = this.collections.minutes.findOne({ _id: created.doc._id }).then((stored) => {
        if (!stored) return;
        // Records made before the load are newer than the stored ones; counts add up.
        const doc = created.doc;
        doc.entries = [...doc.entries, ...stored.entries].slice(0, this.maxPerMinute);
        doc.dropped += stored.dropped;
        doc.requests += stored.requests;
        for (const c of statusClasses) doc.classes[c] += stored.classes[c] ?? 0;
        addInto(doc.histogram, stored.histogram);
        doc.bytes += stored.bytes;
        doc.cold += stored.cold;
        doc.lastAt = Math.max(doc.lastAt ?? 0, stored.lastAt ?? 0);
      }, () => {});
      this.pending.set(key, created);
      entry = created;
      const index = this.indexOf(appId, ownerId);
      if (!index.doc.minutes.includes(minute)) {
        index.doc.minutes = [minute, ...index.doc.minutes].sort((a, b) => b - a);
        index.dirty = true;
      }
    }
    return entry;
  }

  totalsOf(appId: string): Totals {
    let totals = this.totals.get(appId);
    if (!totals) {
      totals = { requests: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: emptyHistogram(), latencySumMs: 0, bytes: 0, cold: 0 };
      this.totals.set(appId, totals);
    }
    return totals;
  }

  /** Every app's totals since start, and the records dropped under pressure. */
  snapshot(): { apps: Map<string, Totals>; dropped: number } {
    return { apps: new Map([...this.totals].filter(([id]) => id !== allApps)), dropped: this.droppedTotal };
  }

  /** Called once a request ended (the gateway never waits on it). */
  record(appId: string, ownerId: string, entry: TrafficRecord): void {
    if (this.forgotten.has(appId)) return;
    this.count(allApps, platformOwner, entry);
    const doc = this.count(appId, ownerId, entry);
    if (doc.entries.length >= this.maxPerMinute || this.pendingRecords >= this.maxPending) {
      doc.dropped += 1;
      this.droppedTotal += 1;
    } else {
      doc.entries.unshift(entry);
      this.pendingRecords += 1;
    }
  }

  /** Adds the request to the app's minute rollup and totals; returns the minute's document. */
  private count(appId: string, ownerId: string, entry: TrafficRecord): MinuteDoc {
    const pending = this.pendingOf(appId, ownerId, minuteOf(entry.at));
    const { doc } = pending;
    pending.dirty = true;
    const statusClass = classOf(entry.status);
    doc.requests += 1;
    doc.classes[statusClass] += 1;
    doc.histogram[bucketOf(entry.latencyMs)] = (doc.histogram[bucketOf(entry.latencyMs)] ?? 0) + 1;
    doc.bytes += entry.bytes;
    if (entry.coldStart) doc.cold += 1;
    doc.lastAt = Math.max(doc.lastAt ?? 0, entry.at.getTime() + entry.latencyMs);
    const totals = this.totalsOf(appId);
    totals.requests[statusClass] += 1;
    totals.histogram[bucketOf(entry.latencyMs)] = (totals.histogram[bucketOf(entry.latencyMs)] ?? 0) + 1;
    totals.latencySumMs += entry.latencyMs;
    totals.bytes += entry.bytes;
    if (entry.coldStart) totals.cold += 1;
    return doc;
  }

  async flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    await this.announced;
    const now = Math.floor(Date.now() / 60_000);
    for (const [key, entry] of [...this.pending]) {
      if (entry.dirty) {
        await entry.loaded;
        entry.dirty = false;
        const written = entry.doc.entries.length;
        try {
          await this.collections.minutes.replaceOne({ _id: entry.doc._id }, { ...entry.doc, updatedAt: new Date() }, { upsert: true });
          this.pendingRecords = Math.max(0, this.pendingRecords - written);
        } catch (error) {
          entry.dirty = true;
          this.options.log(`request records of ${entry.doc.appId} could not be written: ${String(error)}`);
        }
      }
      // A finished minute that is written is no longer needed in memory.
      if (!entry.dirty && entry.doc.minute < now - 1) this.pending.delete(key);
    }
    for (const index of this.indexes.values()) {
      if (!index.dirty) continue;
      await index.loaded;
      index.dirty = false;
      const cutoff = now - retentionMinutes;
      const expired = index.doc.minutes.filter((m) => m < cutoff);
      index.doc.minutes = index.doc.minutes.filter((m) => m >= cutoff);
      try {
        await this.collections.index.replaceOne({ _id: index.doc._id }, { ...index.doc, updatedAt: new Date() }, { upsert: true });
        for (const minute of expired) await this.collections.minutes.deleteOne({ _id: minuteId(index.doc.appId, minute, this.options.replica) });
      } catch (error) {
        index.dirty = true;
        this.options.log(`the request index of ${index.doc.appId} could not be written: ${String(error)}`);
      }
    }
  }

  /** Stops recording a deleted app (its documents are removed by TrafficReader.removeApp). */
  async forget(appId: string): Promise<void> {
    this.forgotten.add(appId);
    for (const key of [...this.pending.keys()]) if (key.startsWith(`${appId}:`)) this.pending.delete(key);
    this.indexes.delete(appId);
    this.totals.delete(appId);
    await this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    await this.flush();
  }
}

export interface RecordFilter {
  readonly failed?: boolean;
  readonly status?: (status: number) => boolean;
  readonly method?: string;
  readonly pathPrefix?: string;
}

export interface MinuteRollup {
  readonly minute: number;
  readonly requests: number;
  readonly classes: Record<StatusClass, number>;
  readonly histogram: number[];
  readonly bytes: number;
  readonly cold: number;
  readonly dropped: number;
}

export class TrafficReader {
  constructor(private readonly collections: TrafficCollections) {}

  /** The gateway replicas of the retention period: a handful of documents, read whole each time. */
  private async replicas(): Promise<string[]> {
    const since = new Date(Date.now() - retentionMinutes * 60_000);
    const docs = await this.collections.replicas.find({}).limit(10_000).toArray();
    return docs.filter((d) => d.seenAt >= since).map((d) => d._id);
  }

  /** (minute, replica) pairs with documents for the app, newest first. */
  private async minutesOf(appId: string, ownerId: string): Promise<{ minute: number; replica: string }[]> {
    const replicas = await this.replicas();
    const indexes = await Promise.all(replicas.map((replica) => this.collections.index.findOne({ _id: indexId(appId, replica) })));
    return indexes
      .filter((doc): doc is IndexDoc => doc !== null && doc.ownerId === ownerId)
      .flatMap((doc) => doc.minutes.map((minute) => ({ minute, replica: doc.replica })))
      .sort((a, b) => b.minute - a.minute);
  }

  /** The newest records matching `filter`, newest first. */
  async recent(appId: string, ownerId: string, limit: number, filter: RecordFilter = {}): Promise<TrafficRecord[]> {
    const matches = (r: TrafficRecord) => (!filter.failed || r.status >= 500 || r.error !== null)
      && (!filter.status || filter.status(r.status)) && (!filter.method || r.method === filter.method)
      && (!filter.pathPrefix || r.path.startsWith(filter.pathPrefix));
    const found: TrafficRecord[] = [];
    const minutes = await this.minutesOf(appId, ownerId);
    // Minutes newest first; each replica's document of one minute read together and merged by time.
    for (let i = 0; i < minutes.length && found.length < limit && i < 2000;) {
      const minute = minutes[i]?.minute;
      const same = [];
      while (i < minutes.length && minutes[i]?.minute === minute) same.push(minutes[i++]);
      const docs = await Promise.all(same.map((m) => this.collections.minutes.findOne({ _id: minuteId(appId, m?.minute ?? 0, m?.replica ?? '') })));
      const entries = docs.flatMap((d) => d?.entries ?? []).sort((a, b) => b.at.getTime() - a.at.getTime());
      for (const entry of entries) if (matches(entry) && found.length < limit) found.push(entry);
    }
    return found;
  }

  /** Per-minute rollups in [fromMinute, toMinute], summed over replicas, oldest first. */
  async rollups(appId: string, ownerId: string, fromMinute: number, toMinute: number): Promise<MinuteRollup[]> {
    const minutes = (await this.minutesOf(appId, ownerId)).filter((m) => m.minute >= fromMinute && m.minute <= toMinute);
    const docs = await Promise.all(minutes.map((m) => this.collections.minutes.findOne({ _id: minuteId(appId, m.minute, m.replica) }, { projection: { entries: 0 } })));
    const byMinute = new Map<number, MinuteRollup & { histogram: number[]; classes: Record<StatusClass, number> }>();
    for (const doc of docs) {
      if (!doc) continue;
      let sum = byMinute.get(doc.minute);
      if (!sum) {
        sum = { minute: doc.minute, requests: 0, classes: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: emptyHistogram(), bytes: 0, cold: 0, dropped: 0 };
        byMinute.set(doc.minute, sum);
      }
      const s = sum as { requests: number; bytes: number; cold: number; dropped: number };
      s.requests += doc.requests;
      s.bytes += doc.bytes;
      s.cold += doc.cold;
      s.dropped += doc.dropped;
      for (const c of statusClasses) sum.classes[c] += doc.classes[c] ?? 0;
      addInto(sum.histogram, doc.histogram);
    }
    return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
  }

  /** When the app last had a request recorded (to the minute), or null. */
  /** When the app's last recorded request ended, over every replica (ms; null: none recorded). */
  async lastTrafficAt(appId: string, ownerId: string): Promise<number | null> {
    const minutes = await this.minutesOf(appId, ownerId);
    const newest = minutes[0]?.minute;
    if (newest === undefined) return null;
    const docs = await Promise.all(minutes.filter((m) => m.minute === newest)
      .map((m) => this.collections.minutes.findOne({ _id: minuteId(appId, m.minute, m.replica) }, { projection: { lastAt: 1 } })));
    // Documents written before lastAt existed count to their minute's end.
    return Math.max(...docs.map((d) => d?.lastAt ?? (newest + 1) * 60_000));
  }

  /** Deletes every record and rollup of a deleted app. */
  async removeApp(appId: string): Promise<void> {
    for (const replica of await this.replicas()) {
      const index = await this.collections.index.findOne({ _id: indexId(appId, replica) });
      for (const minute of index?.minutes ?? []) await this.collections.minutes.deleteOne({ _id: minuteId(appId, minute, replica) });
      await this.collections.index.deleteOne({ _id: indexId(appId, replica) });
    }
  }
}
