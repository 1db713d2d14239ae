/**
 * One database (its own lazily loaded chunk): its facts and credentials, its collections with counts
 * and sizes, and the chosen collection's documents.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { Shell } from '../components/shell';
import { bytes } from '../lib/bytes';
import { DatabaseSummary } from '../databases/database-summary';
import { DocumentsView } from '../databases/documents-view';
import { createDatabaseExplorer } from '../stores/database-explorer';
import '../databases/databases.css';

export interface Props {
  readonly databaseId: string;
}

export default function DatabasePage({ databaseId }: Props) {
  const store = useMemo(() => createDatabaseExplorer(databaseId), [databaseId]);
  useEffect(() => { void store.load(); }, [store]);
  if (store.loadError.value) return <Shell><div class="alert" role="alert">{store.loadError.value}</div><a href="/databases">Back to your databases</a></Shell>;
  const db = store.database.value;
  if (!db) return <Shell><p role="status">Loading the database…</p></Shell>;
  const collections = store.collections.value;
  return (
    <Shell wide>
      <div class="app-page">
        <div class="page-head row">
          <h1>Database {db.name}</h1>
          <span class="spacer" />
          <a class="button" href="/databases">All databases</a>
        </div>
        <DatabaseSummary store={store} />
        <div class="explorer-screen">
          <nav aria-labelledby="collections-heading" class="card">
            <div class="row">
              <h2 id="collections-heading">Collections</h2>
              <span class="spacer" />
              <button type="button" class="small" onClick={() => void store.loadCollections()}>Refresh</button>
            </div>
            {store.collectionsError.value && <div class="alert" role="alert">{store.collectionsError.value}</div>}
            {collections.length === 0 && !store.collectionsError.value && <p class="muted">No collection yet. Your app's first insert makes one.</p>}
            <ul class="collection-list">
              {collections.map((c) => (
                <li key={c.name}>
                  <button type="button" aria-current={store.collection.value === c.name ? 'true' : undefined} onClick={() => void store.open(c.name)}>
                    <span class="cname">{c.name}</span>
                    <span class="muted">{c.count.toLocaleString()} {c.count === 1 ? 'document' : 'documents'} · {bytes(c.sizeBytes)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div class="card"><DocumentsView store={store} /></div>
        </div>
      </div>
    </Shell>
  );
}
