/** Your apps: search, status filter, badges, the URL to copy or open, last activity, and an empty state. */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { DeployPhase } from '../http/client';
import { CopyButton } from '../components/copy-button';
import { Shell } from '../components/shell';
import { StatusBadge } from '../components/status-badge';
import { languageLabel, timeAgo } from '../lib/format';
import { createAppsStore } from '../stores/apps';

const filters: [DeployPhase | '', string][] = [['', 'All'], ['running', 'Running'], ['deploying', 'Deploying'], ['failed', 'Failed'], ['draft', 'Not deployed']];

export function AppsPage() {
  const store = useMemo(createAppsStore, []);
  const first = useRef(true);
  // The first load at once; later ones once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => void store.load(), first.current ? 0 : 250);
    first.current = false;
    return () => clearTimeout(timer);
  }, [store.search.value, store.status.value]);
  const apps = store.apps.value;
  const filtered = store.search.value.trim() !== '' || store.status.value !== '';
  return (
    <Shell>
      <div class="row">
        <h1>Your apps</h1>
        <span class="spacer" />
        <a class="button primary" href="/apps/new">New app</a>
      </div>
      <div class="toolbar-filters" role="search">
        <label class="visually-hidden" for="app-search">Search apps</label>
        <input id="app-search" type="search" placeholder="Search by name" value={store.search.value} onInput={(e) => { store.search.value = e.currentTarget.value; }} />
        <label class="visually-hidden" for="app-status">Status</label>
        <select id="app-status" value={store.status.value} onChange={(e) => { store.status.value = e.currentTarget.value as DeployPhase | ''; }}>
          {filters.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {apps.length === 0 && !store.loading.value && !store.error.value && (
        <div class="card empty">
          {filtered ? <p>No app matches this search.</p> : <>
            <h2>No apps yet</h2>
            <p class="muted">Start from a template: it runs as soon as you deploy it.</p>
            <a class="button primary" href="/apps/new">Create your first app</a>
          </>}
        </div>
      )}
      <ul class="app-list" aria-busy={store.loading.value}>
        {apps.map((app) => (
          <li key={app.id} class="card app-item" data-app-id={app.id}>
            <div class="row">
              <a class="name" href={`/apps/${app.id}`}>{app.name}</a>
              <StatusBadge phase={app.status.phase} version={app.status.version} />
              <span class="badge language" data-language={app.language}>{languageLabel(app.language)}</span>
              {app.hasUnpublishedChanges && app.status.phase !== 'draft' && <span class="muted">· unpublished changes</span>}
            </div>
            <div class="muted">
              {app.status.phase === 'running' ? <a class="url" href={app.url} target="_blank" rel="noopener">{app.url}</a> : (app.status.message ?? app.description)}
              {' · '}active {timeAgo(app.lastActivityAt)}
            </div>
            <div class="actions">
              <a class="button" href={`/apps/${app.id}`}>Edit</a>
              {app.status.phase === 'running' && <a class="button" href={app.url} target="_blank" rel="noopener">Open<span class="visually-hidden"> {app.name}</span></a>}
              {app.status.phase === 'running' && <CopyButton text={app.url} label={`Copy the URL of ${app.name}`} />}
            </div>
          </li>
        ))}
      </ul>
      {store.nextCursor.value && <p><button type="button" onClick={() => void store.load(true)}>Show more</button></p>}
    </Shell>
  );
}
