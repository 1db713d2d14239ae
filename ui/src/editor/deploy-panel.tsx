/** The current rollout's steps from the runtime's progress stream, and its outcome (a failure links to its file and line). */
import type { ProgressPhase } from '../http/client';
import { where } from '../lib/format';
import type { EditorStore } from '../stores/editor';

const steps: [ProgressPhase, string][] = [
  ['validating', 'Prepare'], ['applying', 'Apply'], ['scheduled', 'Schedule'], ['pulling', 'Pull image'], ['starting', 'Start'], ['ready', 'Ready'],
];

export function DeployPanel({ store }: { readonly store: EditorStore }) {
  const events = store.progress.value;
  const notice = store.notice.value;
  const seen = new Set(events.map((e) => e.phase));
  const failed = events.find((e) => e.phase === 'failed');
  return (
    <section aria-labelledby="deploy-heading">
      <h2 id="deploy-heading" class="visually-hidden">Deploy</h2>
      {notice && (
        <div class={`alert ${notice.kind === 'info' ? 'info' : ''}`} role="alert" data-testid="deploy-notice">
          <p>{notice.text}</p>
          {notice.file && <button type="button" class="link" onClick={() => store.open(notice.file ?? '', notice.line)}>Go to {where(notice.file, notice.line ?? null)}</button>}
        </div>
      )}
      {events.length === 0 && !notice && <p class="muted">Deploy publishes the draft as a new version and rolls it out; its progress shows here.</p>}
      {events.length > 0 && (
        <ol class="progress-steps" aria-label="Rollout progress">
          {steps.filter(([phase]) => seen.has(phase) || phase === 'ready').map(([phase, label]) => (
            <li key={phase} class={seen.has(phase) ? 'done' : undefined}>{seen.has(phase) ? '✓' : '○'} {label}</li>
          ))}
          {failed && <li class="failed">✕ Failed ({failed.failure?.reason ?? 'unknown'})</li>}
        </ol>
      )}
      {events.length > 0 && <p class="muted" aria-live="polite">{events.at(-1)?.message}</p>}
    </section>
  );
}
