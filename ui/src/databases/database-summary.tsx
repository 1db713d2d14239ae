/** One database's facts and actions: size, the apps bound to it, credentials on request, rotate (the apps redeploy), delete (typed name). */
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CopyButton } from '../components/copy-button';
import { TypedConfirmDialog } from '../components/typed-confirm-dialog';
import { bytes } from '../lib/bytes';
import { errorMessage } from '../lib/errors';
import { navigate } from '../lib/router';
import type { DatabaseExplorer } from '../stores/database-explorer';
import { useStores } from '../stores/context';

export function DatabaseSummary({ store }: { readonly store: DatabaseExplorer }) {
  const { toasts } = useStores();
  const [dialog, setDialog] = useState<'rotate' | 'delete' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const db = store.database.value;
  if (!db) return null;
  const creds = store.credentials.value;
  const reveal = async () => {
    setProblem(null);
    try {
      await store.showCredentials();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  const apps = db.apps.map((a) => a.name).join(', ');
  return (
    <section class="card db-facts" aria-labelledby="db-heading">
      <div class="row">
        <h2 id="db-heading">{db.name}{db.isDefault && <span class="badge draft"> default</span>}</h2>
        <span class="spacer" />
        <button type="button" onClick={() => (creds ? store.hideCredentials() : void reveal())} aria-expanded={creds !== null}>{creds ? 'Hide credentials' : 'Show credentials'}</button>
        <button type="button" onClick={() => setDialog('rotate')}>Rotate credentials…</button>
        <button type="button" class="danger" onClick={() => setDialog('delete')}>Delete database…</button>
      </div>
      <p class="muted">{bytes(db.sizeBytes)} · {db.provider === 'ferretdb' ? 'FerretDB' : 'MongoDB'} database <span class="mono">{db.dbName}</span> · credentials from {new Date(db.rotatedAt).toLocaleString()} · {db.apps.length ? `bound to ${apps}` : 'no app bound to it by choice'}</p>
      {problem && <div class="alert" role="alert">{problem}</div>}
      {creds && (
        <div class="credentials" data-testid="credentials">
          <p class="muted">For a client of your own (mongosh, Compass, a script). They are shown only now; rotating replaces them.</p>
          <div class="row"><strong>URI</strong> <code>{creds.uri}</code> <CopyButton text={creds.uri} label="Copy the URI" /></div>
          <div class="row"><strong>User</strong> <code>{creds.username}</code></div>
          <div class="row"><strong>Password</strong> <code>{creds.password}</code> <CopyButton text={creds.password} label="Copy the password" /></div>
        </div>
      )}
      {dialog === 'rotate' && (
        <ConfirmDialog title={`Rotate the credentials of ${db.name}?`} confirmLabel="Rotate" busyLabel="Rotating…" onClose={() => setDialog(null)}
          onConfirm={async () => { await store.rotate(); toasts.show(`New credentials for ${db.name}.${db.apps.length ? ' Its apps are redeploying with them.' : ''}`); }}>
          <p>The current password stops working at once. {db.apps.length ? <>The apps that use it (<strong>{apps}</strong>) are redeployed with the new credentials.</> : 'Apps that use it are redeployed with the new credentials.'} Clients of your own need the new password.</p>
        </ConfirmDialog>
      )}
      {dialog === 'delete' && (
        <TypedConfirmDialog title={`Delete ${db.name}?`} name={db.name} confirmLabel="Delete database" onClose={() => setDialog(null)}
          onConfirm={async (typed) => { await store.remove(typed); toasts.show(`${db.name} was deleted.`); navigate('/databases', { replace: true }); }}>
          <p>Every collection and document in it, and its credentials, are deleted. This cannot be undone.{db.apps.length ? ` Apps still bound to it (${apps}) must be bound elsewhere first.` : ''}</p>
        </TypedConfirmDialog>
      )}
    </section>
  );
}
