/**
 * One app's dashboard data: what the runtime reports, the versions, the runtime's events and the
 * requests the platform's proxy recorded (all, or only the failed ones). Refreshed every few seconds
 * while the page is open and visible; a refresh that fails keeps the last data and says so.
 */
import { signal } from '@preact/signals';
import { api, type AppDetail, type RequestRecord, type RuntimeEvent, type RuntimeStatus, type VersionSummary } from '../http/client';
import { appLoadError } from '../lib/errors';

const everyMs = 5000;

export function createDashboardStore(appId: string) {
  const app = signal<AppDetail | null>(null);
  const runtime = signal<RuntimeStatus | null>(null);
  const versions = signal<VersionSummary[]>([]);
  const events = signal<RuntimeEvent[]>([]);
  const requests = signal<RequestRecord[]>([]);
  const failedOnly = signal(false);
  const loadError = signal<string | null>(null);
  const refreshError = signal<string | null>(null);
  const refreshedAt = signal<Date | null>(null);
  const refreshing = signal(false);
  let timer: ReturnType<typeof setInterval> | undefined;
  let sequence = 0;

  async function refresh(): Promise<void> {
    const mine = ++sequence;
    refreshing.value = true;
    try {
      const params = { appId };
      const [detail, status, list, recent, recorded] = await Promise.all([
        api.getApp({ params }),
        api.runtimeStatus({ params }),
        api.listVersions({ params }),
        api.events({ params, query: { limit: 20 } }),
        api.requests({ params, query: { limit: 50, ...(failedOnly.value ? { failed: 'true' as const } : {}) } }),
      ]);
      if (mine !== sequence) return;
      app.value = detail;
      runtime.value = status;
      versions.value = list.versions;
      events.value = recent.events;
      requests.value = recorded.requests;
      refreshedAt.value = new Date();
      loadError.value = null;
      refreshError.value = null;
    } catch (error) {
      if (mine !== sequence) return;
      const text = appLoadError(error);
      if (app.value) refreshError.value = `Could not refresh: ${text}`;
      else loadError.value = text;
    } finally {
      if (mine === sequence) refreshing.value = false;
    }
  }

  function showFailedOnly(value: boolean): void {
    failedOnly.value = value;
    void refresh();
  }

  function start(): void {
    void refresh();
    // A tick while a refresh still runs (a slow cluster) is skipped: a new one would discard its answer.
    timer = setInterval(() => { if (document.visibilityState === 'visible' && !refreshing.value) void refresh(); }, everyMs);
  }

  function stop(): void {
    clearInterval(timer);
    sequence++;
  }

  return { app, runtime, versions, events, requests, failedOnly, loadError, refreshError, refreshedAt, refreshing, refresh, showFailedOnly, start, stop };
}

export type DashboardStore = ReturnType<typeof createDashboardStore>;
