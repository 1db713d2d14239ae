/**
 * A confirmation for what deletes data for good: the name must be typed again before the button
 * works (the API checks the same name). The action's failure shows inside the dialog, which stays open.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorMessage } from '../lib/errors';
import { useModal } from '../lib/modal';

export interface Props {
  readonly title: string;
  /** What must be typed: the database's or the collection's name. */
  readonly name: string;
  readonly confirmLabel: string;
  readonly onConfirm: (typed: string) => Promise<void>;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
}

export function TypedConfirmDialog({ title, name, confirmLabel, onConfirm, onClose, children }: Props) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const modal = useModal(() => { if (!busy) onClose(); });
  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(typed);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <dialog class="confirm card" ref={modal.ref} aria-labelledby="typed-confirm-heading" onCancel={modal.onCancel}>
      <form onSubmit={(e) => void confirm(e)}>
        <h2 id="typed-confirm-heading">{title}</h2>
        {children}
        <div class="field">
          <label for="typed-confirm">Type <span class="mono">{name}</span> to confirm</label>
          <input id="typed-confirm" value={typed} autoComplete="off" spellcheck={false} onInput={(e) => setTyped(e.currentTarget.value)} />
        </div>
        {error && <div class="alert" role="alert">{error}</div>}
        <div class="row">
          <span class="spacer" />
          <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
          <button type="submit" class="danger-fill" disabled={busy || typed !== name}>{busy ? 'Deleting…' : confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
