/**
 * Users: search, each with their role and apps, promote or demote (the API refuses to demote the last
 * admin, and says so; demoting yourself asks first), delete after a confirmation naming them, and a
 * create form.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createUsersStore } from '../stores/admin';
import { useStores } from '../stores/context';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CreateUserForm } from './create-user-form';
import type { AdminUser } from '../http/client';
import { errorMessage } from '../lib/errors';
import { bytes } from '../lib/bytes';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function UsersSection() {
  const { session } = useStores();
  const store = useMemo(createUsersStore, []);
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ userId: string; message: string } | null>(null);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);
  const [demotingSelf, setDemotingSelf] = useState<AdminUser | null>(null);
  const [status, setStatus] = useState('');
  const first = useRef(true);
  useEffect(() => {
    const timer = setTimeout(() => void store.load(), first.current ? 0 : 250);
    first.current = false;
    return () => clearTimeout(timer);
  }, [store.search.value]);
  const me = session.user.value?.id;
  const setRole = async (user: AdminUser) => {
    setPending(user.id);
    setProblem(null);
    setStatus('');
    try {
      await store.setAdmin(user.id, !user.isAdmin);
      setStatus(`${user.username} is ${user.isAdmin ? 'no longer an admin' : 'now an admin'}.`);
    } catch (e) {
      setProblem({ userId: user.id, message: errorMessage(e) });
    } finally {
      setPending(null);
    }
  };
  const users = store.users.value;
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <div class="toolbar-filters" role="search">
        <label class="visually-hidden" for="user-search">Search users</label>
        <input id="user-search" type="search" placeholder="Search by username" value={store.search.value} onInput={(e) => { store.search.value = e.currentTarget.value; }} />
      </div>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      <p class="status" role="status">{status}</p>
      {users.length === 0 && !store.loading.value && !store.error.value && <p class="muted">No user matches this search.</p>}
      <ul class="admin-list" aria-busy={store.loading.value} aria-labelledby="users-heading">
        {users.map((user) => (
          <li key={user.id} class="card admin-item" data-user-id={user.id}>
            <div class="summary">
              <div class="row">
                <strong class="name">{user.username}</strong>
                {user.id === me && <span class="muted">(you)</span>}
                <span class={`badge${user.isAdmin ? ' admin' : ''}`}><span class="visually-hidden">Role: </span>{user.isAdmin ? 'Admin' : 'User'}</span>
              </div>
              <div class="muted email">{user.email}</div>
              <div class="muted">{plural(user.apps, 'app')}, {user.runningApps} running</div>
              <div class="muted user-databases" data-testid="user-databases">
                {user.databases.length === 0 ? 'No database yet'
                  : <>{plural(user.databases.length, 'database')}: {user.databases.map((d, i) => <span key={d.name}>{i > 0 ? ', ' : ''}<span class="mono">{d.name}</span> ({bytes(d.sizeBytes)})</span>)}</>}
              </div>
              {problem?.userId === user.id && <div class="alert" role="alert">{problem.message}</div>}
            </div>
            <div class="actions">
              <button type="button" disabled={pending === user.id}
                onClick={() => { if (user.id === me && user.isAdmin) setDemotingSelf(user); else void setRole(user); }}>
                {user.isAdmin ? 'Demote' : 'Promote'}<span class="visually-hidden"> {user.username}</span>
              </button>
              {user.id !== me && (
                <button type="button" class="danger" onClick={() => { setProblem(null); setStatus(''); setDeleting(user); }}>
                  Delete<span class="visually-hidden"> {user.username}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {users.length < store.total.value && (
        <p><button type="button" onClick={() => void store.load(true)}>Show more<span class="visually-hidden"> users</span></button> <span class="muted">{users.length} of {store.total.value}</span></p>
      )}
      <CreateUserForm store={store} />
      {demotingSelf && (
        <ConfirmDialog title="Stop being an admin?" confirmLabel="Yes, demote me" busyLabel="Demoting…" onClose={() => setDemotingSelf(null)}
          onConfirm={async () => {
            await store.setAdmin(demotingSelf.id, false);
            // Your session is no longer an admin's: the page then says so.
            await session.load();
          }}>
          <p>You lose this page and every admin action at once. Another admin can make you one again.</p>
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog title={`Delete ${deleting.username}?`} confirmLabel={`Yes, delete ${deleting.username}`} onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await store.remove(deleting.id);
            setStatus(`Deleted ${deleting.username} and everything they owned.`);
          }}>
          <p>
            This deletes the account of <strong>{deleting.username}</strong> ({deleting.email}) and everything they own: their {plural(deleting.apps, 'app')}
            {deleting.runningApps > 0 ? ` (${deleting.runningApps} running, stopped now)` : ''}, {plural(deleting.databases.length, 'database')} with their data, templates, API tokens and sessions.
          </p>
          <p>Their apps are deleted too. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
