/** The latest versions, the live one marked, each a way into the history's diff. */
import { timeAgo } from '../lib/format';
import type { DashboardStore } from '../stores/dashboard';

export function VersionsCard({ store, appId }: { readonly store: DashboardStore; readonly appId: string }) {
  const versions = store.versions.value.slice(0, 5);
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
            <li key={v.number}>
              <strong>Version {v.number}</strong>
              {v.deployed && <span class="badge running">Live</span>}
              <span class="muted">{timeAgo(v.createdAt)}{v.source === 'rollback' ? ` · rollback to version ${v.rolledBackFrom ?? '?'}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
