/**
 * The editor's top row, one line of fixed height in every state (a deploy changes words, never the
 * layout): name, what serves and what failed, the draft's state, Save, Deploy, open the app and its
 * docs while something serves, settings, and the rest in "More" (dashboard, history, database, save as
 * template, clone, delete).
 */
import { AppMenu } from '../apps/app-menu';
import { StatusBadge } from '../components/status-badge';
import { appState } from '../lib/app-state';
import { modKey } from '../lib/keys';
import type { EditorStore } from '../stores/editor';

export interface Props {
  readonly store: EditorStore;
  readonly onSettings: () => void;
  readonly onSaveTemplate: () => void;
  readonly onClone: () => void;
  readonly onDelete: () => void;
}

function draftState(store: EditorStore): string {
  const app = store.app.value;
  if (store.dirty.value) return 'Unsaved changes';
  if (!app) return '';
  if (app.status.phase === 'draft') return 'Saved, never deployed';
  if (app.hasUnpublishedChanges) return 'Saved, not deployed yet';
  const state = appState(app.status);
  if (state.failed !== null) return state.sentence;
  return state.serving !== null ? `Version ${state.serving} is what runs` : '';
}

export function Toolbar({ store, onSettings, onSaveTemplate, onClone, onDelete }: Props) {
  const app = store.app.value;
  if (!app) return null;
  const serving = appState(app.status).serving !== null;
  const docs = app.framework === 'fastapi' ? `${app.url}/docs` : null;
  return (
    <div class="editor-toolbar">
      <div class="title">
        <h1 title={app.name}>{app.name}</h1>
        <StatusBadge status={app.status} sleeping={app.sleeping} />
      </div>
      <span class="muted draft-state" data-testid="draft-state">{draftState(store)}</span>
      <div class="actions">
        <button type="button" class="save" onClick={() => void store.save()} disabled={store.saving.value} aria-keyshortcuts="Control+S Meta+S" title={`Save the draft (${modKey}+S)`}>
          {store.saving.value ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="primary" onClick={() => void store.deploy()} disabled={store.deploying.value} aria-keyshortcuts="Control+Enter Meta+Enter" title={`Deploy (${modKey}+Enter)`}>
          {store.deploying.value ? 'Deploying…' : 'Deploy'}
        </button>
        {serving && <a class="button wide-only" href={app.url} target="_blank" rel="noopener">Open app</a>}
        {serving && docs && <a class="button wide-only" href={docs} target="_blank" rel="noopener">API docs</a>}
        <a class="button wide-only" href={`/apps/${app.id}/history`}>History</a>
        <a class="button wide-only" href={`/apps/${app.id}/dashboard`}>Dashboard</a>
        <button type="button" onClick={onSettings}>Settings</button>
        <AppMenu appId={app.id} appName={app.name} onClone={onClone} onDelete={onDelete} linksOutside>
          {serving && <a class="button narrow-only" href={app.url} target="_blank" rel="noopener">Open app</a>}
          {serving && docs && <a class="button narrow-only" href={docs} target="_blank" rel="noopener">API docs</a>}
          <button type="button" onClick={onSaveTemplate}>Save as template</button>
        </AppMenu>
      </div>
    </div>
  );
}
