/**
 * A collection's documents: the query (JSON filter, sort, projection; the API's sentence shown next
 * to the field it refused), the documents as Extended JSON page after page through the API's cursor,
 * export as JSON lines, delete a document and drop the collection, each behind a confirmation.
 */
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog';
import { TypedConfirmDialog } from '../components/typed-confirm-dialog';
import type { DatabaseExplorer, QueryField } from '../stores/database-explorer';
import { useStores } from '../stores/context';

const fields: { name: QueryField; label: string; placeholder: string }[] = [
  { name: 'filter', label: 'Filter', placeholder: '{"done": false}' },
  { name: 'sort', label: 'Sort', placeholder: '{"_id": -1}' },
  { name: 'projection', label: 'Projection', placeholder: '{"title": 1}' },
];

const idText = (doc: unknown) => JSON.stringify((doc as { _id?: unknown })._id ?? null);

export function DocumentsView({ store }: { readonly store: DatabaseExplorer }) {
  const { toasts } = useStores();
  const [deleting, setDeleting] = useState<unknown>(null);
  const [dropping, setDropping] = useState(false);
  const name = store.collection.value;
  if (!name) return <p class="muted">Choose a collection to see its documents.</p>;
  const error = store.queryError.value;
  const query = store.query.value;
  const docs = store.documents.value;
  return (
    <section aria-labelledby="documents-heading">
      <div class="row">
        <h2 id="documents-heading">Documents of <span class="mono">{name}</span></h2>
        <span class="spacer" />
        <a class="button" href={store.exportUrl(name)} download={`${name}.jsonl`}>Export JSON lines</a>
        <button type="button" class="danger" onClick={() => setDropping(true)}>Drop collection…</button>
      </div>
      <form class="query-form" onSubmit={(e) => { e.preventDefault(); void store.run(); }}>
        <div class="query-grid">
          {fields.map((f) => {
            const problem = error && error.field === f.name ? error.message : null;
            return (
              <div class="field" key={f.name}>
                <label for={`query-${f.name}`}>{f.label}</label>
                <textarea id={`query-${f.name}`} rows={1} spellcheck={false} placeholder={f.placeholder} value={query[f.name]}
                  aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `query-${f.name}-problem` : undefined}
                  onInput={(e) => { store.query.value = { ...store.query.value, [f.name]: e.currentTarget.value }; }}
                  onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void store.run(); } }} />
                {problem && <div id={`query-${f.name}-problem`} class="problem" role="alert">{problem}</div>}
              </div>
            );
          })}
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={store.querying.value}>{store.querying.value ? 'Running…' : 'Run query'}</button>
          <span class="muted">Extended JSON: <code>{'{"_id": {"$oid": "…"}}'}</code>, <code>{'{"at": {"$gte": {"$date": "2026-01-01T00:00:00Z"}}}'}</code>. Ctrl+Enter runs it.</span>
        </div>
      </form>
      {error && error.field === null && <div class="alert" role="alert">{error.message}</div>}
      {!error && docs.length === 0 && !store.querying.value && <p class="muted">No document matches.</p>}
      <ol class="documents" aria-label="Documents" aria-busy={store.querying.value}>
        {docs.map((doc) => (
          <li key={idText(doc)} class="card document">
            <pre tabIndex={0} aria-label={`Document ${idText(doc)}`}>{JSON.stringify(doc, null, 2)}</pre>
            {(doc as { _id?: unknown })._id !== undefined && <button type="button" class="danger small" onClick={() => setDeleting(doc)} aria-label={`Delete document ${idText(doc)}`}>Delete</button>}
          </li>
        ))}
      </ol>
      {(docs.length > 0 || store.cursor.value) && (
        <p class="row">
          <span class="muted" role="status">{docs.length} shown{store.cursor.value ? '' : ', the end'}.</span>
          {store.cursor.value && <button type="button" onClick={() => void store.more()} disabled={store.querying.value}>Show the next 20</button>}
        </p>
      )}
      {deleting !== null && (
        <ConfirmDialog title="Delete this document?" confirmLabel="Delete document" onClose={() => setDeleting(null)}
          onConfirm={async () => { await store.deleteDocument((deleting as { _id?: unknown })._id); toasts.show('Document deleted.'); }}>
          <p>The document with <code>_id</code> <code>{idText(deleting)}</code> is deleted from {name}. This cannot be undone.</p>
        </ConfirmDialog>
      )}
      {dropping && (
        <TypedConfirmDialog title={`Drop ${name}?`} name={name} confirmLabel="Drop collection" onClose={() => setDropping(false)}
          onConfirm={async (typed) => { await store.dropCollection(name, typed); toasts.show(`${name} was dropped.`); }}>
          <p>The collection and every document in it are deleted. This cannot be undone.</p>
        </TypedConfirmDialog>
      )}
    </section>
  );
}
