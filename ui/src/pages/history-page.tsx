/**
 * An app's history (its own lazily loaded chunk, Monaco's diff editor behind it): the versions, what
 * changed between any two (or a version and the draft) file by file, and rollback in place.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog';
import { Shell } from '../components/shell';
import { StatusBadge } from '../components/status-badge';
import { appState } from '../lib/app-state';
import { CodeDiff } from '../editor/code-editor';
import { timeAgo } from '../lib/format';
import { createHistoryStore, type HistoryStore, type Side } from '../stores/history';
import { useStores } from '../stores/context';

export interface Props {
  readonly appId: string;
}

const sideName = (side: Side) => (side === 'draft' ? 'the current draft' : side === 'none' ? 'nothing' : `version ${side}`);
const parseSide = (value: string): Side => (value === 'draft' || value === 'none' ? value : Number(value));
const changeWords = { added: 'added', removed: 'removed', modified: 'changed', unchanged: 'unchanged' } as const;

function VersionList({ store }: { readonly store: HistoryStore }) {
  const app = store.app.value;
  const state = app ? appState(app.status) : null;
  return (
    <nav aria-label="Versions" class="version-list">
      <ol>
        {store.versions.value.map((v) => (
          <li key={v.number}>
            <button type="button" aria-current={store.target.value === v.number ? 'true' : undefined} onClick={() => void store.select(v.number)}>
              <strong>Version {v.number}</strong>
              {state?.serving === v.number && <span class="badge running">Live</span>}
              {state?.failed === v.number && <span class="badge failed">Failed</span>}
              {state?.rollingOut === v.number && <span class="badge deploying">Rolling out</span>}
              <span class="muted">{timeAgo(v.createdAt)}{v.source === 'rollback' ? ` · files of version ${v.rolledBackFrom ?? '?'}` : ''} · {v.paths.length} {v.paths.length === 1 ? 'file' : 'files'}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function SidePicker({ store, id, label, which, allowNone }: { readonly store: HistoryStore; readonly id: string; readonly label: string; readonly which: 'base' | 'target'; readonly allowNone: boolean }) {
  const value = store[which].value;
  return (
    <span class="side-picker">
      <label for={id}>{label}</label>
      <select id={id} value={String(value)} onChange={(e) => store.setSides({ [which]: parseSide(e.currentTarget.value) })}>
        <option value="draft">Current draft</option>
        {store.versions.value.map((v) => <option key={v.number} value={String(v.number)}>Version {v.number}</option>)}
        {allowNone && <option value="none">Nothing (all added)</option>}
      </select>
    </span>
  );
}

function Comparison({ store }: { readonly store: HistoryStore }) {
  const sides = store.sides.value;
  const changed = store.changes.value.filter((c) => c.change !== 'unchanged');
  const path = store.file.value;
  // The heading names the pair whose diff is shown, never one still loading (it said another pair just after a rollback).
  const shown = sides ?? { baseSide: store.base.value, targetSide: store.target.value };
  const labels = { original: `${path ?? ''} in ${sideName(shown.baseSide)}`, modified: `${path ?? ''} in ${sideName(shown.targetSide)}` };
  return (
    <section aria-labelledby="compare-heading" class="comparison" aria-busy={store.comparingNow.value}>
      <h2 id="compare-heading">Changes from {sideName(shown.baseSide)} to {sideName(shown.targetSide)}</h2>
      <div class="row">
        <SidePicker store={store} id="compare-base" label="From" which="base" allowNone />
        <SidePicker store={store} id="compare-target" label="To" which="target" allowNone={false} />
      </div>
      {store.compareError.value && <div class="alert" role="alert">{store.compareError.value}</div>}
      {sides && changed.length === 0 && <p class="muted">No file differs between these two.</p>}
      {changed.length > 0 && (
        <ul class="changed-files" aria-label="Changed files">
          {changed.map((c) => (
            <li key={c.path}>
              <button type="button" aria-current={c.path === path ? 'true' : undefined} onClick={() => { store.file.value = c.path; }}>
                <span class={`change ${c.change}`}>{changeWords[c.change]}</span> {c.path}
              </button>
            </li>
          ))}
        </ul>
      )}
      {sides && path && <CodeDiff path={path} original={sides.base[path] ?? ''} modified={sides.target[path] ?? ''} labels={labels} />}
    </section>
  );
}

function Rollback({ store }: { readonly store: HistoryStore }) {
  const [asking, setAsking] = useState<number | null>(null);
  const target = store.target.value;
  const app = store.app.value;
  const state = app ? appState(app.status) : null;
  const version = typeof target === 'number' ? store.versions.value.find((v) => v.number === target) : undefined;
  const busy = store.rollingBack.value;
  const event = store.rollout.value;
  const serving = version !== undefined && state?.serving === version.number;
  return (
    <div class="rollback">
      {app && <p class="row"><StatusBadge status={app.status} /> <span>{state?.sentence}</span></p>}
      {version && !serving && (
        <button type="button" class="primary" disabled={busy !== null} onClick={() => setAsking(version.number)}>
          {busy === version.number ? 'Rolling back…' : `Roll back to version ${version.number}…`}
        </button>
      )}
      {version && serving && <p class="muted">Version {version.number} is what runs now.</p>}
      <p role="status" class="muted">{busy !== null && event ? event.message : ''}</p>
      {store.rollbackError.value && <div class="alert" role="alert">{store.rollbackError.value}</div>}
      {asking !== null && (
        <ConfirmDialog title={`Roll back to version ${asking}?`} confirmLabel={`Roll back to version ${asking}`} busyLabel="Rolling back…"
          onClose={() => setAsking(null)} onConfirm={async () => { setAsking(null); await store.rollback(asking); }}>
          <p>The files of version {asking} are published as a new version and deployed{state?.serving !== null && state?.serving !== undefined ? `; version ${state.serving} keeps serving until it is live` : ''}.</p>
          {app?.hasUnpublishedChanges && <p>Your draft has changes that were never deployed: rolling back replaces the draft with these files (the changes stay in the draft's history).</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}

export default function HistoryPage({ appId }: Props) {
  const { toasts } = useStores();
  const store = useMemo(() => createHistoryStore(appId, toasts), [appId]);
  useEffect(() => {
    void store.load();
    return () => store.dispose();
  }, [store]);
  const app = store.app.value;
  if (store.loadError.value) return <Shell><div class="alert" role="alert">{store.loadError.value}</div><a href="/apps">Back to your apps</a></Shell>;
  if (!app) return <Shell><p role="status">Loading the history…</p></Shell>;
  return (
    <Shell wide>
      <div class="app-page">
        <div class="page-head row">
          <h1>History of {app.name}</h1>
          <span class="spacer" />
          <a class="button" href={`/apps/${appId}`}>Editor</a>
          <a class="button" href={`/apps/${appId}/dashboard`}>Dashboard</a>
        </div>
        {store.versions.value.length === 0 ? (
          <div class="card empty"><p>No version yet: each deploy publishes one.</p><a class="button primary" href={`/apps/${appId}`}>Back to the editor</a></div>
        ) : (
          <div class="history-screen">
            <VersionList store={store} />
            <div class="history-main">
              <Rollback store={store} />
              <Comparison store={store} />
            </div>
          </div>
        )}
      </div>
    </Shell>
  );
}
