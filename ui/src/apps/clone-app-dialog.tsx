/**
 * Cloning an app: a new app with the same draft files and environment variables, under a name you
 * choose; it is not deployed until you deploy it. Opens the clone's editor when done.
 */
import { useState } from 'preact/hooks';
import { Field } from '../components/field';
import { api } from '../http/client';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { useModal } from '../lib/modal';
import { navigate } from '../lib/router';

export interface Props {
  readonly app: { readonly id: string; readonly name: string };
  readonly onClose: () => void;
}

export function CloneAppDialog({ app, onClose }: Props) {
  const [name, setName] = useState(`${app.name} (copy)`.slice(0, 80));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const modal = useModal(() => { if (!busy) onClose(); });
  const clone = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const copy = await api.cloneApp({ params: { appId: app.id }, body: { name: name.trim() } });
      onClose();
      navigate(`/apps/${copy.id}`);
    } catch (error) {
      setErrors(formErrors(error, ['name']));
      setBusy(false);
    }
  };
  return (
    <dialog class="confirm card" ref={modal.ref} aria-labelledby="clone-heading" onCancel={modal.onCancel}>
      <form onSubmit={(e) => void clone(e)} noValidate>
        <h2 id="clone-heading">Clone {app.name}</h2>
        <p class="muted">A new app with the same files (the current draft) and environment variables. It runs once you deploy it.</p>
        {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
        <Field id="clone-name" label="Name of the copy" value={name} maxLength={80} problem={errors.fields.name} onInput={(e) => setName(e.currentTarget.value)} />
        <div class="row">
          <span class="spacer" />
          <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
          <button type="submit" class="primary" disabled={busy || !name.trim()}>{busy ? 'Cloning…' : 'Clone app'}</button>
        </div>
      </form>
    </dialog>
  );
}
