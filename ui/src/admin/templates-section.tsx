/**
 * Every template on the platform: global ones (built-in or an admin's) can be hidden from everyone's
 * gallery and shown again; any template can be deleted after a confirmation naming it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createAdminTemplatesStore } from '../stores/admin';
import { ConfirmDialog } from '../components/confirm-dialog';
import type { AdminTemplate } from '../http/client';
import { fileCount, frameworkLabel } from '../lib/format';
import { errorMessage } from '../lib/errors';

function origin(t: AdminTemplate): string {
  if (t.ownerId !== null) return 'A user\'s own template';
  if (t.builtin) return t.editedByAdmin ? 'Global, built-in (edited by an admin)' : 'Global, built-in';
  return 'Global, added by an admin';
}

export function TemplatesSection() {
  const store = useMemo(createAdminTemplatesStore, []);
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ id: string; message: string } | null>(null);
  const [deleting, setDeleting] = useState<AdminTemplate | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    void store.load();
  }, []);
  const toggle = async (t: AdminTemplate) => {
    setPending(t.id);
    setProblem(null);
    setStatus('');
    try {
      await store.setHidden(t.id, !t.adminHidden);
      setStatus(t.adminHidden ? `${t.title} is listed for everyone again.` : `${t.title} is hidden for everyone.`);
    } catch (e) {
      setProblem({ id: t.id, message: errorMessage(e) });
    } finally {
      setPending(null);
    }
  };
  const templates = store.templates.value;
  return (
    <section aria-labelledby="templates-heading">
      <h2 id="templates-heading">Templates</h2>
      <p class="muted">Hiding a global template takes it out of every gallery; apps made from it keep working.</p>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      <p class="status" role="status">{status}</p>
      {store.loading.value && templates.length === 0 && <p role="status">Loading the templates…</p>}
      <ul class="admin-list" aria-busy={store.loading.value} aria-labelledby="templates-heading">
        {templates.map((t) => (
          <li key={t.id} class="card admin-item" data-template-id={t.id}>
            <div class="summary">
              <div class="row">
                <strong class="name">{t.title}</strong>
                {t.builtin && <span class="badge">Built-in</span>}
                {t.adminHidden && <span class="badge hidden-badge">Hidden for everyone</span>}
              </div>
              <div class="muted">{origin(t)} · {frameworkLabel(t.framework)} · {fileCount(t.fileCount)}</div>
              {problem?.id === t.id && <div class="alert" role="alert">{problem.message}</div>}
            </div>
            <div class="actions">
              {t.ownerId === null && (
                <button type="button" disabled={pending === t.id} onClick={() => void toggle(t)}>
                  {t.adminHidden ? <>Unhide<span class="visually-hidden"> {t.title}</span></> : <>Hide<span class="visually-hidden"> {t.title}</span> for everyone</>}
                </button>
              )}
              <button type="button" class="danger" onClick={() => { setProblem(null); setStatus(''); setDeleting(t); }}>
                Delete<span class="visually-hidden"> {t.title}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog title={`Delete the template ${deleting.title}?`} confirmLabel={`Yes, delete ${deleting.title}`} onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await store.remove(deleting.id);
            setStatus(`Deleted the template ${deleting.title}.`);
          }}>
          <p>It disappears from every gallery; apps already made from it keep their code.</p>
          {deleting.builtin && <p>It is built in: it stays deleted, even when the platform is upgraded. To take it away for now, hide it instead.</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}
