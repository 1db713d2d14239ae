/** The toast stack: a polite live region, each toast dismissable. */
import { useStores } from '../stores/context';

export function Toasts() {
  const { toasts } = useStores();
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.toasts.value.map((toast) => (
        <div key={toast.id} class={`toast ${toast.kind}`}>
          {toast.text} <button class="link" onClick={() => toasts.dismiss(toast.id)} aria-label="Dismiss">✕</button>
        </div>
      ))}
    </div>
  );
}
