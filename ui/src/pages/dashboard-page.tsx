/**
 * One app's dashboard (its own lazily loaded chunk): status and address, versions, the runtime's
 * events, live logs, and the requests the platform's proxy recorded with their failures' tracebacks.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { Shell } from '../components/shell';
import { EventsList } from '../dashboard/events-list';
import { RequestsList } from '../dashboard/requests-list';
import { RuntimeSummary } from '../dashboard/runtime-summary';
import { VersionsCard } from '../dashboard/versions-card';
import { LogsPanel } from '../editor/logs-panel';
import { createDashboardStore } from '../stores/dashboard';

export interface Props {
  readonly appId: string;
}

export default function DashboardPage({ appId }: Props) {
  const store = useMemo(() => createDashboardStore(appId), [appId]);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
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
          <button type="button" disabled={store.refreshing.value} onClick={() => void store.refresh()}>Refresh</button>
          <a class="button" href={`/apps/${appId}`}>Editor</a>
          <a class="button" href={`/apps/${appId}/history`}>History</a>
        </div>
        {store.refreshError.value && <div class="alert" role="alert">{store.refreshError.value}</div>}
        <div class="dashboard">
          <RuntimeSummary store={store} />
          <VersionsCard store={store} appId={appId} />
          <RequestsList appId={appId} store={store} />
          <EventsList store={store} />
          <div class="card logs-card"><LogsPanel appId={appId} showHeading /></div>
        </div>
      </div>
    </Shell>
  );
}
