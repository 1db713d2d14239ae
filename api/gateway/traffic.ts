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
 *
 * This module holds the shapes and keys; `traffic-writer.ts` (the gateway) and `traffic-reader.ts` (the
 * API) use them.
 */
import type { Collection } from 'mongodb';
import { emptyHistogram } from './histogram.js';

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
export const platformOwner = '_platform';
export const minuteOf = (at: Date) => Math.floor(at.getTime() / 60_000);
export const minuteId = (appId: string, minute: number, replica: string) => `${appId}:${minute}:${replica}`;
export const indexId = (appId: string, replica: string) => `${appId}:${replica}`;

export function emptyMinute(appId: string, ownerId: string, minute: number, replica: string): MinuteDoc {
  return {
    _id: minuteId(appId, minute, replica), appId, ownerId, minute, replica, entries: [], dropped: 0, requests: 0,
    classes: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: emptyHistogram(), bytes: 0, cold: 0, updatedAt: new Date(),
  };
}

export function classOf(status: number): StatusClass {
  const digit = Math.min(5, Math.max(1, Math.floor(status / 100)));
  return `${digit}xx` as StatusClass;
}
