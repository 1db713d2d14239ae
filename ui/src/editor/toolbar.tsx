/** The editor's top row: name, status, draft-vs-deployed state, Save, Deploy, open the app and its docs, settings. */
import { StatusBadge } from '../components/status-badge';
import type { EditorStore } from '../stores/editor';

export interface Props {
  readonly store: EditorStore;
  readonly onSettings: () => void;
  readonly onSaveTemplate: () => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl';

function draftState(store: EditorStore): string {
  const app = store.app.value;
  if (store.dirty.value) return 'Unsaved changes';
  if (!app) return '';
  if (app.status.phase === 'draft') return 'Saved, never deployed';
  if (app.hasUnpublishedChanges) return 'Saved, not deployed yet';
  return app.status.version ? `Version ${app.status.version} is what runs` : '';
}

export function Toolbar({ store, onSettings, onSaveTemplate }: Props) {
  const app = store.app.value;
  if (!app) return null;
  const running = app.status.phase === 'running';
  const docs = app.framework === 'fastapi' ? `${app.url}/docs` : null;
  return (
    <div class="editor-toolbar">
      <h1>{app.name}</h1>
      <StatusBadge phase={app.status.phase} version={app.status.version} />
      <span class="muted" data-testid="draft-state">{draftState(store)}</span>
      <span class="spacer" />
      <button type="button" onClick={() => void store.save()} disabled={store.saving.value} aria-keyshortcuts="Control+S Meta+S" title={`Save the draft (${mod}+S)`}>
        {store.saving.value ? 'Saving…' : 'Save'}
      </button>
      <button type="button" class="primary" onClick={() => void store.deploy()} disabled={store.deploying.value} aria-keyshortcuts="Control+Enter Meta+Enter" title={`Deploy (${mod}+Enter)`}>
        {store.deploying.value ? 'Deploying…' : 'Deploy'}
      </button>
      {running && <a class="button" href={app.url} target="_blank" rel="noopener">Open app</a>}
      {running && docs && <a class="button" href={docs} target="_blank" rel="noopener">API docs</a>}
      <button type="button" onClick={onSettings}>Settings</button>
      <a class="button" href={`/apps/${app.id}/history`}>History</a>
      <a class="button" href={`/apps/${app.id}/dashboard`}>Dashboard</a>
      <button type="button" onClick={onSaveTemplate}>Save as template</button>
    </div>
  );
}
