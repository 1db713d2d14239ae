/**
 * Which of your databases the app gets as PLATFORM_MONGO_URI: auto (your default one, when the code
 * reads it), none, or a database you choose. Saving a deployed app redeploys it with the new binding.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type AppDetail } from '../http/client';
import { errorMessage } from '../lib/errors';
import type { Database } from '../stores/databases';
import type { EditorStore } from '../stores/editor';
import { useStores } from '../stores/context';

type Binding = AppDetail['database'];
const valueOf = (b: Binding) => (b.mode === 'bound' ? `db:${b.databaseId}` : b.mode);
const bindingOf = (value: string): Binding => (value.startsWith('db:') ? { mode: 'bound', databaseId: value.slice(3) } : value === 'none' ? { mode: 'none' } : { mode: 'auto' });

export function DatabaseSetting({ store }: { readonly store: EditorStore }) {
  const { toasts } = useStores();
  const app = store.app.value;
  const [databases, setDatabases] = useState<Database[] | null>(null);
  const [value, setValue] = useState(app ? valueOf(app.database) : 'auto');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.listDatabases().then((r) => setDatabases(r.databases), (e: unknown) => setProblem(`Your databases could not be listed: ${errorMessage(e)}`));
  }, []);
  if (!app) return null;
  const current = valueOf(app.database);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.bindDatabase({ params: { appId: app.id }, body: bindingOf(value) });
      store.app.value = { ...app, database: result.database };
      toasts.show(result.redeployed ? 'Saved. The app is redeploying with its new database.' : 'Saved. It applies from the next deploy.');
      if (result.redeployed) void store.follow();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="database-setting-heading">
      <h3 id="database-setting-heading">Database</h3>
      <form onSubmit={(e) => void save(e)} class="row">
        <label class="visually-hidden" for="app-database">Database of this app</label>
        <select id="app-database" value={value} onChange={(e) => setValue(e.currentTarget.value)} aria-describedby="app-database-hint">
          <option value="auto">Auto: your default database</option>
          <option value="none">None</option>
          {(databases ?? []).map((d) => <option key={d.id} value={`db:${d.id}`}>{d.name}{d.isDefault ? ' (default)' : ''}</option>)}
          {app.database.mode === 'bound' && databases && !databases.some((d) => `db:${d.id}` === current) && <option value={current}>A database that is gone</option>}
        </select>
        <button type="submit" disabled={busy || value === current}>{busy ? 'Saving…' : 'Save database'}</button>
      </form>
      <p id="app-database-hint" class="hint">The app reads it as <code>os.environ["PLATFORM_MONGO_URI"]</code>. <a href={`/databases?app=${app.id}`}>Open its database</a> · <a href="/databases">Manage databases</a></p>
      {problem && <div class="alert" role="alert">{problem}</div>}
    </section>
  );
}
