/**
 * The app's settings: its database (database-setting.tsx) and its environment variables: names shown, values never (the API returns them masked). Leave a
 * value empty to keep the stored one; saving a deployed app redeploys it with the same code version.
 * Saving replaces the whole list, so it waits until the stored variables have loaded (saving before
 * would delete them); rows added meanwhile are kept when they arrive.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../http/client';
import { useModal } from '../lib/modal';
import { useStores } from '../stores/context';
import type { EditorStore } from '../stores/editor';
import { errorMessage } from '../lib/errors';
import { DatabaseSetting } from './database-setting';

interface Row {
  readonly key: number;
  name: string;
  value: string;
  readonly stored: boolean;
}

export interface Props {
  readonly store: EditorStore;
  readonly onClose: () => void;
}

export function EnvDrawer({ store, onClose }: Props) {
  const { toasts } = useStores();
  const appId = store.app.value?.id ?? '';
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const modal = useModal(onClose);
  const next = useRef(1);
  useEffect(() => {
    api.getEnv({ params: { appId } }).then(
      (r) => {
        const stored = r.env.map((v): Row => ({ key: next.current++, name: v.name, value: '', stored: true }));
        setRows((added) => [...stored, ...added]);
        setLoaded(true);
      },
      (e: Error) => setError(`The variables could not be loaded, so they cannot be saved now: ${e.message}`),
    );
  }, [appId]);
  const change = (key: number, patch: Partial<Row>) => setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const save = async (event: Event) => {
    event.preventDefault();
    if (!loaded) return;
    setBusy(true);
    setError(null);
    try {
      const vars = rows.filter((r) => r.name.trim()).map((r) => (r.stored && r.value === '' ? { name: r.name.trim() } : { name: r.name.trim(), value: r.value }));
      const result = await api.replaceEnv({ params: { appId }, body: { vars } });
      toasts.show(result.redeployed ? 'Saved. The app is redeploying with the new variables.' : 'Saved. They apply from the next deploy.');
      if (result.redeployed) void store.follow();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    // A modal <dialog>: the page behind is inert, Escape closes it (its cancel event).
    <dialog class="drawer" ref={modal.ref} aria-labelledby="env-heading" onCancel={modal.onCancel}>
      <div class="row"><h2 id="env-heading">Settings</h2><span class="spacer" /><button type="button" onClick={onClose}>Close</button></div>
      <DatabaseSetting store={store} />
      <h3>Environment variables</h3>
      <p class="muted">Read them in your app with <code>os.environ["NAME"]</code>. Values are stored encrypted and never shown again.</p>
      <form onSubmit={(e) => void save(e)}>
        {error && <div class="alert" role="alert">{error}</div>}
        {!loaded && !error && <p class="muted" role="status">Loading the stored variables…</p>}
        {rows.map((row, index) => (
          <div class="env-row" key={row.key}>
            <div>
              <label class="visually-hidden" for={`env-name-${row.key}`}>Name of variable {index + 1}</label>
              <input id={`env-name-${row.key}`} class="mono" value={row.name} placeholder="NAME" readOnly={row.stored} autoCapitalize="characters"
                onInput={(e) => change(row.key, { name: e.currentTarget.value.toUpperCase() })} />
            </div>
            <div>
              <label class="visually-hidden" for={`env-value-${row.key}`}>Value of {row.name || `variable ${index + 1}`}</label>
              <input id={`env-value-${row.key}`} type="password" autoComplete="off" value={row.value} placeholder={row.stored ? '•••••••• (unchanged)' : 'value'}
                onInput={(e) => change(row.key, { value: e.currentTarget.value })} />
            </div>
            <button type="button" aria-label={`Remove ${row.name || `variable ${index + 1}`}`} onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}>✕</button>
          </div>
        ))}
        <div class="row">
          <button type="button" onClick={() => setRows((current) => [...current, { key: next.current++, name: '', value: '', stored: false }])}>Add variable</button>
          <span class="spacer" />
          <button class="primary" type="submit" disabled={busy || !loaded}>{busy ? 'Saving…' : 'Save variables'}</button>
        </div>
      </form>
    </dialog>
  );
}
