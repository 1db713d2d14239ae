/**
 * What the API tells about an app's running side, for the routes to pass on: the manifests it applies
 * (or would, for the draft) with Secret values masked, the test panel's request, the gateway's request
 * records and per-minute metrics (requests by status class, error rate, latency percentiles from fixed
 * histogram buckets), and its sleep settings. Routes parse and answer; the work is here.
 */
import type { Collection } from 'mongodb';
import type { ManifestObject } from '../../constructs/index.js';
import type { AppDoc } from '../db/documents.js';
import { InputError, NotFoundError } from '../errors.js';
import { latencyBoundsMs, quantile, statusClasses, type StatusClass, type TrafficReader, type TrafficRecord } from '../gateway/index.js';
import type { Runtime, TestRequest } from '../runtime/types.js';
import type { DatabaseService } from './databases.js';
import type { DraftService } from './drafts.js';
import type { EnvVarService } from './env-vars.js';
import type { SettingsService } from './settings.js';
import { sanitizeTestHeaders } from './test-requests.js';
import type { VersionService } from './versions.js';

export interface AppRuntimeDeps {
  readonly runtime: Runtime;
  readonly drafts: DraftService;
  readonly versions: VersionService;
  readonly env: EnvVarService;
  readonly databases: DatabaseService;
  readonly traffic: TrafficReader;
  readonly settings: SettingsService;
  readonly db: { readonly apps: Collection<AppDoc> };
}

/** Secret values never leave the API, not even base64-encoded in a manifest view. */
export function maskSecrets(objects: ManifestObject[]): ManifestObject[] {
  return objects.map((o) => (o.kind === 'Secret' && typeof o.data === 'object' && o.data
    ? { ...o, data: Object.fromEntries(Object.keys(o.data).map((k) => [k, '••••••••'])) }
    : o));
}

/** `404` matches exactly, `4xx` the whole class; no filter matches everything. */
export function statusFilter(filter: string | undefined): ((status: number) => boolean) | undefined {
  if (!filter) return undefined;
  return /xx$/i.test(filter) ? (status) => Math.floor(status / 100) === Number(filter[0]) : (status) => status === Number(filter);
}

export interface MetricsWindow {
  readonly from: string;
  readonly to: string;
  readonly bucketMinutes: number;
  readonly latencyBucketsMs: number[];
  readonly points: {
    at: string; requests: number; classes: Record<StatusClass, number>; errorRate: number;
    p50: number | null; p95: number | null; p99: number | null; cold: number;
  }[];
  readonly totals: {
    requests: number; classes: Record<StatusClass, number>; errorRate: number; histogram: number[];
    p50: number | null; p95: number | null; p99: number | null; cold: number; bytes: number; dropped: number;
  };
}

const emptyClasses = (): Record<StatusClass, number> => ({ '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 });

export class AppRuntimeService {
  constructor(private readonly deps: AppRuntimeDeps) {}

  async manifests(app: AppDoc, of: 'deployed' | 'draft'): Promise<{ version: number | null; objects: ManifestObject[] }> {
    const runtimeApp = { id: app._id, ownerId: app.ownerId, name: app.name };
    if (of === 'draft') {
      const draft = await this.deps.drafts.latest(app);
      const env = { ...this.deps.env.decrypt(app), ...(await this.deps.databases.envFor(app, draft.files, { provision: false })) };
      return { version: null, objects: maskSecrets(this.deps.runtime.manifests(runtimeApp, { number: 0, files: draft.files, entrypoint: draft.entrypoint, contentHash: draft.contentHash }, env)) };
    }
    if (app.deploy.version === null) throw new NotFoundError('The app has not been deployed yet; ask for of=draft.');
    const version = await this.deps.versions.get(app._id, app.deploy.version);
    const env = { ...this.deps.env.decrypt(app), ...(await this.deps.databases.envFor(app, version.files, { provision: false })) };
    return { version: version.number, objects: maskSecrets(this.deps.runtime.manifests(runtimeApp, version, env)) };
  }

  testRequest(app: AppDoc, request: TestRequest) {
    return this.deps.runtime.request(app._id, { ...request, headers: sanitizeTestHeaders(request.headers) });
  }

  async requests(app: AppDoc, query: { limit: number; failed?: 'true' | 'false' | undefined; status?: string | undefined; method?: string | undefined; path?: string | undefined }): Promise<TrafficRecord[]> {
    const status = statusFilter(query.status);
    return this.deps.traffic.recent(app._id, app.ownerId, query.limit, {
      failed: query.failed === 'true', ...(status ? { status } : {}), ...(query.method ? { method: query.method } : {}), ...(query.path ? { pathPrefix: query.path } : {}),
    });
  }

  /** Rollups over the last `minutes`, in points of `bucketMinutes` (summed), with percentiles from the histograms. */
  async metrics(app: AppDoc, minutes: number, points = 60): Promise<MetricsWindow> {
    const to = Math.floor(Date.now() / 60_000);
    const from = to - minutes + 1;
    const bucketMinutes = Math.max(1, Math.ceil(minutes / points));
    const rollups = await this.deps.traffic.rollups(app._id, app.ownerId, from, to);
    const totals = { requests: 0, classes: emptyClasses(), histogram: new Array<number>(latencyBoundsMs.length + 1).fill(0), cold: 0, bytes: 0, dropped: 0 };
    const series = new Map<number, { requests: number; classes: Record<StatusClass, number>; histogram: number[]; cold: number }>();
    for (const r of rollups) {
      const key = from + Math.floor((r.minute - from) / bucketMinutes) * bucketMinutes;
      const point = series.get(key) ?? { requests: 0, classes: emptyClasses(), histogram: new Array<number>(latencyBoundsMs.length + 1).fill(0), cold: 0 };
      point.requests += r.requests;
      point.cold += r.cold;
      for (const c of statusClasses) point.classes[c] += r.classes[c];
      r.histogram.forEach((n, i) => { point.histogram[i] = (point.histogram[i] ?? 0) + n; totals.histogram[i] = (totals.histogram[i] ?? 0) + n; });
      series.set(key, point);
      totals.requests += r.requests;
      totals.cold += r.cold;
      totals.bytes += r.bytes;
      totals.dropped += r.dropped;
      for (const c of statusClasses) totals.classes[c] += r.classes[c];
    }
    const errorRate = (classes: Record<StatusClass, number>, requests: number) => (requests === 0 ? 0 : classes['5xx'] / requests);
    const pointsOut = [];
    for (let at = from; at <= to; at += bucketMinutes) {
      const p = series.get(at) ?? { requests: 0, classes: emptyClasses(), histogram: [], cold: 0 };
      pointsOut.push({
        at: new Date(at * 60_000).toISOString(), requests: p.requests, classes: p.classes, errorRate: errorRate(p.classes, p.requests),
        p50: quantile(p.histogram, 0.5), p95: quantile(p.histogram, 0.95), p99: quantile(p.histogram, 0.99), cold: p.cold,
      });
    }
    return {
      from: new Date(from * 60_000).toISOString(), to: new Date((to + 1) * 60_000).toISOString(), bucketMinutes, latencyBucketsMs: [...latencyBoundsMs],
      points: pointsOut,
      totals: { ...totals, errorRate: errorRate(totals.classes, totals.requests), p50: quantile(totals.histogram, 0.5), p95: quantile(totals.histogram, 0.95), p99: quantile(totals.histogram, 0.99) },
    };
  }

  /** The app's sleep settings and state. */
  async sleepOf(app: AppDoc): Promise<{ state: 'awake' | 'sleeping' | 'waking'; since: string | null; idleTimeoutSeconds: number | null; effectiveIdleTimeoutSeconds: number | null; alwaysOn: boolean; lastWakeMs: number | null }> {
    const platform = (await this.deps.settings.get()).idleTimeoutMinutes * 60;
    return {
      state: app.sleep?.state ?? 'awake', since: app.sleep?.since.toISOString() ?? null, idleTimeoutSeconds: app.idleTimeoutSeconds ?? null,
      effectiveIdleTimeoutSeconds: app.alwaysOn ? null : app.idleTimeoutSeconds ?? platform, alwaysOn: app.alwaysOn ?? false, lastWakeMs: app.sleep?.lastWakeMs ?? null,
    };
  }

  /** The owner's idle timeout for the app (null: the platform's). */
  async setIdleTimeout(app: AppDoc, seconds: number | null): Promise<Awaited<ReturnType<AppRuntimeService['sleepOf']>>> {
    if (seconds !== null && (seconds < 10 || seconds > 7 * 86_400)) throw new InputError('Invalid body: body.idleTimeoutSeconds: from 10 seconds to 7 days, or null for the platform\'s', { details: { issues: [{ path: 'body.idleTimeoutSeconds', message: 'from 10 to 604800, or null' }] } });
    await this.deps.db.apps.updateOne({ _id: app._id }, seconds === null ? { $unset: { idleTimeoutSeconds: '' } } : { $set: { idleTimeoutSeconds: seconds } });
    const updated = await this.deps.db.apps.findOne({ _id: app._id });
    if (!updated) throw new NotFoundError('No such app.');
    return this.sleepOf(updated);
  }

  /** An admin's grant: the app never sleeps. */
  async setAlwaysOn(appId: string, alwaysOn: boolean): Promise<AppDoc> {
    const app = await this.deps.db.apps.findOne({ _id: appId });
    if (!app || app.deletingAt) throw new NotFoundError('No such app.');
    await this.deps.db.apps.updateOne({ _id: appId }, { $set: { alwaysOn } });
    return { ...app, alwaysOn };
  }
}
