/**
 * A modal confirmation (<dialog> with showModal: the page behind is inert, Escape cancels). The
 * confirm action's failure is shown inside the dialog, which then stays open.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useModal } from '../lib/modal';
import { errorMessage } from '../lib/errors';

export interface Props {
  readonly title: string;
  readonly confirmLabel: string;
  /**
   * The confirm button's text while the action runs.
   * @default 'Deleting…'
   */
  readonly busyLabel?: string;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
}

export function ConfirmDialog({ title, confirmLabel, busyLabel = 'Deleting…', onConfirm, onClose, children }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // While the action runs, Escape does not close it: its outcome would have nowhere to show.
  const modal = useModal(() => { if (!busy) onClose(); });
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <dialog class="confirm card" ref={modal.ref} aria-labelledby="confirm-heading" aria-describedby="confirm-text"
      onCancel={modal.onCancel}>
      <h2 id="confirm-heading">{title}</h2>
      <div id="confirm-text">{children}</div>
      {error && <div class="alert" role="alert">{error}</div>}
      <div class="row">
        <span class="spacer" />
        <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
        <button type="button" class="primary danger-fill" onClick={() => void confirm()} disabled={busy}>{busy ? busyLabel : confirmLabel}</button>
      </div>
    </dialog>
  );
}
