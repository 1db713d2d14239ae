/**
 * Your apps: search ("/" focuses it), status filter, what each serves and what failed, the URL to open
 * or copy while something serves, last activity, clone and delete, and an empty state.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AppSummary, DeployPhase } from '../http/client';
import { AppMenu } from '../apps/app-menu';
import { CloneAppDialog } from '../apps/clone-app-dialog';
import { DeleteAppDialog } from '../apps/delete-app-dialog';
import { CopyButton } from '../components/copy-button';
import { Shell } from '../components/shell';
import { StatusBadge } from '../components/status-badge';
import { appState } from '../lib/app-state';
import { languageLabel, timeAgo } from '../lib/format';
import { typing } from '../lib/keys';
import { prefetchEditor } from '../lib/prefetch';
import { createAppsStore } from '../stores/apps';
import { useStores } from '../stores/context';

const filters: [DeployPhase | '', string][] = [['', 'All'], ['running', 'Running'], ['deploying', 'Deploying'], ['failed', 'Last deploy failed'], ['draft', 'Not deployed']];

function detail(app: AppSummary) {
  const state = appState(app.status);
  if (state.serving !== null) return <a class="url" href={app.url} target="_blank" rel="noopener">{app.url}</a>;
  if (state.failed !== null) return <span>Version {state.failed} failed{app.status.message ? `: ${app.status.message}` : ''}</span>;
  return <span>{app.description || 'Not deployed yet'}</span>;
}

export function AppsPage() {
  const { toasts } = useStores();
  const store = useMemo(createAppsStore, []);
  const first = useRef(true);
  const [cloning, setCloning] = useState<AppSummary | null>(null);
  const [deleting, setDeleting] = useState<AppSummary | null>(null);
  // The first load at once; later ones once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => void store.load(), first.current ? 0 : 250);
    first.current = false;
    return () => clearTimeout(timer);
  }, [store.search.value, store.status.value]);
  useEffect(() => {
    prefetchEditor();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || typing(event) || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      document.getElementById('app-search')?.focus();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  const apps = store.apps.value;
  const filtered = store.search.value.trim() !== '' || store.status.value !== '';
  return (
    <Shell>
      <div class="page-title">
        <h1>Your apps</h1>
        <span class="spacer" />
        <a class="button primary" href="/apps/new">New app</a>
      </div>
      <div class="toolbar-filters" role="search">
        <label class="visually-hidden" for="app-search">Search apps</label>
        <input id="app-search" type="search" placeholder="Search by name  ( / )" aria-keyshortcuts="/" value={store.search.value} onInput={(e) => { store.search.value = e.currentTarget.value; }} />
        <label class="visually-hidden" for="app-status">Status</label>
        <select id="app-status" value={store.status.value} onChange={(e) => { store.status.value = e.currentTarget.value as DeployPhase | ''; }}>
          {filters.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {apps.length === 0 && !store.loading.value && !store.error.value && (
        <div class="card empty">
          {filtered ? <p>No app matches this search.</p> : <>
            <span class="mark" aria-hidden="true">▲</span>
            <h2>No apps yet</h2>
            <p class="muted">Start from a template: a FastAPI or FastHTML app that runs at its own address as soon as you deploy it.</p>
            <a class="button primary" href="/apps/new">Create your first app</a>
          </>}
        </div>
      )}
      <ul class="app-list" aria-busy={store.loading.value}>
        {apps.map((app) => {
          const serving = appState(app.status).serving !== null;
          return (
            <li key={app.id} class="card app-item" data-app-id={app.id}>
              <div class="row">
                <a class="name" href={`/apps/${app.id}`}>{app.name}</a>
                <StatusBadge status={app.status} sleeping={app.sleeping} />
                <span class="badge language" data-language={app.language}>{languageLabel(app.language)}</span>
                {app.hasUnpublishedChanges && app.status.phase !== 'draft' && <span class="muted">· unpublished changes</span>}
              </div>
              <div class="muted detail">{detail(app)}{' · '}active {timeAgo(app.lastActivityAt)}</div>
              <div class="actions">
                <a class="button" href={`/apps/${app.id}`}>Edit<span class="visually-hidden"> {app.name}</span></a>
                {serving && <a class="button" href={app.url} target="_blank" rel="noopener">Open<span class="visually-hidden"> {app.name}</span></a>}
                {serving && <CopyButton text={app.url} label={`Copy the URL of ${app.name}`} />}
                <AppMenu appId={app.id} appName={app.name} onClone={() => setCloning(app)} onDelete={() => setDeleting(app)} />
              </div>
            </li>
          );
        })}
      </ul>
      {store.nextCursor.value && <p><button type="button" onClick={() => void store.load(true)}>Show more</button></p>}
      {cloning && <CloneAppDialog app={cloning} onClose={() => setCloning(null)} />}
      {deleting && <DeleteAppDialog app={deleting} onClose={() => setDeleting(null)} onDeleted={() => { toasts.show(`${deleting.name} was deleted.`); void store.load(); }} />}
    </Shell>
  );
}
