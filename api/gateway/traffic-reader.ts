/** The API's side of the request records: history, rollups and idleness, each read by `_id` only. */
import { addInto, emptyHistogram } from './histogram.js';
import {
  indexId, minuteId, retentionMinutes, statusClasses,
  type IndexDoc, type StatusClass, type TrafficCollections, type TrafficRecord,
} from './traffic.js';

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
