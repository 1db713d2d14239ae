/** The latest versions: the one serving marked Live, a failed one marked Failed (never Live), each a way into the history's diff. */
import { appState } from '../lib/app-state';
import { timeAgo } from '../lib/format';
import type { DashboardStore } from '../stores/dashboard';

export function VersionsCard({ store, appId }: { readonly store: DashboardStore; readonly appId: string }) {
  const versions = store.versions.value.slice(0, 5);
  const app = store.app.value;
  const state = app ? appState(app.status) : null;
  return (
    <section aria-labelledby="versions-heading" class="card">
      <div class="row">
        <h2 id="versions-heading">Versions</h2>
        <span class="spacer" />
        <a href={`/apps/${appId}/history`}>Full history</a>
      </div>
      {versions.length === 0 ? <p class="muted">No version yet: each deploy publishes one.</p> : (
        <ul class="versions">
          {versions.map((v) => (
            <li key={v.number} data-version={v.number}>
              <strong>Version {v.number}</strong>
              {state?.serving === v.number && <span class="badge running">Live</span>}
              {state?.failed === v.number && <span class="badge failed">Failed</span>}
              {state?.rollingOut === v.number && <span class="badge deploying">Rolling out</span>}
              <span class="muted">{timeAgo(v.createdAt)}{v.source === 'rollback' ? ` · the files of version ${v.rolledBackFrom ?? '?'}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
