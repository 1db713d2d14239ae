/**
 * One app's dashboard (its own lazily loaded chunk): status and address, sleep, metrics charts over a
 * chosen range, versions, the runtime's events, live logs, and the requests the gateway recorded with
 * their failures' tracebacks. Refreshed every few seconds while visible.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { Shell } from '../components/shell';
import { EventsList } from '../dashboard/events-list';
import { RequestsList } from '../dashboard/requests-list';
import { RuntimeSummary } from '../dashboard/runtime-summary';
import { VersionsCard } from '../dashboard/versions-card';
import { MetricsCard } from '../dashboard/metrics-card';
import { SleepCard } from '../dashboard/sleep-card';
import { LogsPanel } from '../editor/logs-panel';
import { useStores } from '../stores/context';
import { createDashboardStore } from '../stores/dashboard';
import { createMetricsStore } from '../stores/metrics';
import { createSleepStore } from '../stores/sleep';
import '../dashboard/dashboard.css';

const everyMs = 5000;

export interface Props {
  readonly appId: string;
}

export default function DashboardPage({ appId }: Props) {
  const { session } = useStores();
  const store = useMemo(() => createDashboardStore(appId), [appId]);
  const metrics = useMemo(() => createMetricsStore(appId), [appId]);
  const sleep = useMemo(() => createSleepStore(appId), [appId]);
  useEffect(() => {
    store.start();
    void metrics.refresh();
    void sleep.refresh();
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      void sleep.refresh();
      if (!metrics.loading.value) void metrics.refresh();
    }, everyMs);
    return () => {
      store.stop();
      clearInterval(timer);
    };
  }, [store, metrics, sleep]);
  const refreshAll = () => {
    void store.refresh();
    void metrics.refresh();
    void sleep.refresh();
  };
  const app = store.app.value;
  if (store.loadError.value) return <Shell><div class="alert" role="alert">{store.loadError.value}</div><a href="/apps">Back to your apps</a></Shell>;
  if (!app) return <Shell><p role="status">Loading the dashboard…</p></Shell>;
  const at = store.refreshedAt.value;
  return (
    <Shell wide>
      <div class="app-page">
        <div class="page-head row">
          <h1>Dashboard of {app.name}</h1>
          <span class="spacer" />
          {at && <span class="muted">Updated {at.toLocaleTimeString()}</span>}
          <button type="button" disabled={store.refreshing.value} onClick={refreshAll}>Refresh</button>
          <a class="button" href={`/apps/${appId}`}>Editor</a>
          <a class="button" href={`/apps/${appId}/history`}>History</a>
        </div>
        {store.refreshError.value && <div class="alert" role="alert">{store.refreshError.value}</div>}
        <div class="dashboard">
          <RuntimeSummary store={store} />
          <SleepCard store={sleep} admin={session.user.value?.isAdmin ?? false} />
          <MetricsCard store={metrics} />
          <VersionsCard store={store} appId={appId} />
          <RequestsList appId={appId} store={store} />
          <EventsList store={store} />
          <div class="card logs-card"><LogsPanel appId={appId} showHeading /></div>
        </div>
      </div>
    </Shell>
  );
}
