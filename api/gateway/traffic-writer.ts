/** The gateway's side of the request records: counts and records in memory, flushed off the request path. */
import { addInto, bucketOf, emptyHistogram } from './histogram.js';
import {
  allApps, classOf, emptyMinute, indexId, minuteId, minuteOf, platformOwner, retentionMinutes, statusClasses,
  type IndexDoc, type MinuteDoc, type StatusClass, type TrafficCollections, type TrafficRecord,
} from './traffic.js';

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
