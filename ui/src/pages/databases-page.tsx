/**
 * Your databases (its own lazily loaded chunk): each with its size and the apps bound to it, a way
 * into the explorer, and a form to create another (up to the admin's limit). Opened from an app
 * (`?app=<id>`), it says which database that app uses.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Field } from '../components/field';
import { Shell } from '../components/shell';
import { api, type AppDetail } from '../http/client';
import { bytes } from '../lib/bytes';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { navigate } from '../lib/router';
import { createDatabasesStore, type Database } from '../stores/databases';
import '../databases/databases.css';

function usedBy(app: AppDetail, databases: readonly Database[]): { text: string; database: Database | null } {
  const binding = app.database;
  if (binding.mode === 'none') return { text: `${app.name} uses no database (its settings say none).`, database: null };
  if (binding.mode === 'bound') {
    const database = databases.find((d) => d.id === binding.databaseId) ?? null;
    return { text: `${app.name} uses ${database?.name ?? 'a database that is gone'}.`, database };
  }
  const database = databases.find((d) => d.isDefault) ?? null;
  return { text: `${app.name} uses your default database${database ? ` (${database.name})` : ''} when its code reads PLATFORM_MONGO_URI.`, database };
}

export default function DatabasesPage() {
  const store = useMemo(createDatabasesStore, []);
  const [app, setApp] = useState<AppDetail | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  useEffect(() => {
    void store.load();
    const appId = new URLSearchParams(location.search).get('app');
    if (appId) void api.getApp({ params: { appId } }).then(setApp, () => setApp(null));
  }, []);
  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await store.create({ name: name.trim() });
      setName('');
      setErrors(noErrors);
      navigate(`/databases/${created.id}`);
    } catch (e) {
      setErrors(formErrors(e, ['name']));
    } finally {
      setBusy(false);
    }
  };
  const databases = store.databases.value;
  const context = app ? usedBy(app, databases) : null;
  return (
    <Shell>
      <div class="page-title"><h1>Databases</h1></div>
      <p class="muted">Each database has its own credentials; an app gets the one it is bound to as <code>PLATFORM_MONGO_URI</code>. Choose an app's database in its editor's settings.</p>
      {context && (
        <div class="alert info" role="status" data-testid="app-database">
          <p>{context.text} {context.database && <a href={`/databases/${context.database.id}`}>Open {context.database.name}</a>}</p>
          <p><a href={`/apps/${app?.id ?? ''}`}>Back to {app?.name}</a></p>
        </div>
      )}
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {store.loaded.value && databases.length === 0 && !store.error.value && (
        <div class="card empty">
          <span class="mark" aria-hidden="true">▲</span>
          <h2>No database yet</h2>
          <p class="muted">Your default database is made the first time an app uses <code>PLATFORM_MONGO_URI</code>, or create one below.</p>
        </div>
      )}
      <ul class="database-list" aria-busy={store.loading.value}>
        {databases.map((d) => (
          <li key={d.id} class={`card database-item${context?.database?.id === d.id ? ' current' : ''}`}>
            <div class="row">
              <a class="name" href={`/databases/${d.id}`}>{d.name}</a>
              {d.isDefault && <span class="badge draft">default</span>}
              <span class="muted">{bytes(d.sizeBytes)}</span>
            </div>
            <div class="muted">{d.apps.length === 0 ? 'No app bound to it by choice' : `Used by ${d.apps.map((a) => a.name).join(', ')}`} · {d.provider === 'ferretdb' ? 'FerretDB' : 'MongoDB'} · <span class="mono">{d.dbName}</span></div>
            <div class="actions"><a class="button" href={`/databases/${d.id}`}>Explore<span class="visually-hidden"> {d.name}</span></a></div>
          </li>
        ))}
      </ul>
      <form class="card database-create" onSubmit={(e) => void create(e)} noValidate>
        <h2>New database</h2>
        {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
        <Field id="database-name" label="Name" value={name} maxLength={40} placeholder="orders" hint="1-40 lower-case letters, digits and dashes."
          problem={errors.fields.name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={busy || !name.trim()}>{busy ? 'Creating…' : 'Create database'}</button>
      </form>
    </Shell>
  );
}
