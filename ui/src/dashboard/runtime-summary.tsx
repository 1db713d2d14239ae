/**
 * What runs now, in plain words: what serves and what failed (kept apart), what the app answers with
 * right now (checked with the runtime itself), the last repair the platform made when what ran had
 * drifted from what was deployed, the address, and the draft.
 */
import { CopyButton } from '../components/copy-button';
import { StatusBadge } from '../components/status-badge';
import { appState } from '../lib/app-state';
import { timeAgo, where } from '../lib/format';
import type { DashboardStore } from '../stores/dashboard';

export function RuntimeSummary({ store }: { readonly store: DashboardStore }) {
  const app = store.app.value;
  const runtime = store.runtime.value;
  if (!app) return null;
  const state = appState(app.status);
  const repair = store.events.value.find((e) => e.reason === 'Repaired');
  const now = !runtime ? '…'
    : runtime.phase === 'absent' ? 'Not running'
    : runtime.phase === 'ready' ? `Answering with version ${runtime.servingVersion ?? '?'}`
    : runtime.phase === 'sleeping' ? `Asleep with version ${runtime.servingVersion ?? runtime.targetVersion ?? '?'}: the next request wakes it`
    : runtime.phase === 'deploying' ? `Starting version ${runtime.targetVersion ?? '?'}${runtime.servingVersion ? `; version ${runtime.servingVersion} answers meanwhile` : ''}`
    // "failed" is the last rollout's outcome: the version before it may well still answer.
    : runtime.servingVersion ? `Answering with version ${runtime.servingVersion}; the rollout of version ${runtime.targetVersion ?? '?'} failed`
    : 'Not answering: the last rollout failed';
  return (
    <section aria-labelledby="status-heading" class="card">
      <h2 id="status-heading">Status</h2>
      <dl class="facts">
        <dt>Deployed</dt>
        <dd data-testid="deployed-state"><StatusBadge status={app.status} sleeping={app.sleeping} /> <span>{state.sentence}</span></dd>
        {state.failed !== null && (
          <>
            <dt>Why v{state.failed} failed</dt>
            <dd data-testid="failure">
              {app.status.message ?? 'It did not start.'}
              {app.status.file && <> <a href={`/apps/${app.id}?file=${encodeURIComponent(app.status.file)}${app.status.line ? `&line=${app.status.line}` : ''}`}>{where(app.status.file, app.status.line)}</a></>}
            </dd>
          </>
        )}
        <dt>Right now</dt>
        <dd data-testid="runtime-phase">{now}{runtime?.message && runtime.phase === 'deploying' && <span class="muted"> · {runtime.message}</span>}</dd>
        {repair && (
          <>
            <dt>Last repair</dt>
            <dd data-testid="last-repair">{repair.message} <span class="muted">({timeAgo(repair.at)}, {new Date(repair.at).toLocaleString()})</span></dd>
          </>
        )}
        <dt>Address</dt>
        <dd class="url-line">
          {state.serving !== null ? <a href={app.url} target="_blank" rel="noopener">{app.url}</a> : <span class="muted">{app.url} (live once a version runs)</span>}
          <CopyButton text={app.url} label="Copy the app's address" />
        </dd>
        <dt>Draft</dt>
        <dd>{app.hasUnpublishedChanges ? 'Has changes that are not deployed yet' : 'Same as what was last deployed'}</dd>
      </dl>
    </section>
  );
}
