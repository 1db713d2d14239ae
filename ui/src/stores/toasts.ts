/** Short notices (saved, copied, failed) announced to screen readers through a live region. */
import { signal } from '@preact/signals';

export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
}

export function createToastStore() {
  const toasts = signal<Toast[]>([]);
  let next = 1;
  function show(text: string, kind: Toast['kind'] = 'info', ms = 4000): void {
    const toast = { id: next++, kind, text };
    toasts.value = [...toasts.value.slice(-3), toast];
    setTimeout(() => dismiss(toast.id), ms);
  }
  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }
  return { toasts, show, dismiss };
}

export type ToastStore = ReturnType<typeof createToastStore>;
