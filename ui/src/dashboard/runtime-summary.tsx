/** What runs now: the recorded status, what the runtime itself reports, and the app's address. */
import { CopyButton } from '../components/copy-button';
import { StatusBadge } from '../components/status-badge';
import type { DashboardStore } from '../stores/dashboard';

const runtimeWords = { absent: 'Not running', deploying: 'Rolling out', ready: 'Ready', failed: 'Failed', sleeping: 'Asleep (the next request wakes it)' } as const;

export function RuntimeSummary({ store }: { readonly store: DashboardStore }) {
  const app = store.app.value;
  const runtime = store.runtime.value;
  if (!app) return null;
  return (
    <section aria-labelledby="status-heading" class="card">
      <h2 id="status-heading">Status</h2>
      <dl class="facts">
        <dt>Recorded</dt>
        <dd><StatusBadge phase={app.status.phase} version={app.status.version} />{app.status.message && <span class="muted"> {app.status.message}</span>}</dd>
        <dt>Runtime</dt>
        <dd data-testid="runtime-phase">
          {runtime ? runtimeWords[runtime.phase] : '…'}
          {runtime?.servingVersion ? ` · serving version ${runtime.servingVersion}` : ''}
          {runtime?.targetVersion && runtime.targetVersion !== runtime.servingVersion ? ` · rolling out version ${runtime.targetVersion}` : ''}
          {runtime?.message && <span class="muted"> {runtime.message}</span>}
        </dd>
        <dt>Address</dt>
        <dd class="url-line">
          {app.status.phase === 'running' ? <a href={app.url} target="_blank" rel="noopener">{app.url}</a> : <span class="muted">{app.url} (live once deployed)</span>}
          <CopyButton text={app.url} label="Copy the app's address" />
        </dd>
        <dt>Draft</dt>
        <dd>{app.hasUnpublishedChanges ? 'Has changes that are not deployed yet' : 'Same as what runs'}</dd>
      </dl>
    </section>
  );
}
