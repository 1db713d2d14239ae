/**
 * A <dialog> opened modally for as long as its component is mounted: the page behind is inert, Escape
 * asks `onClose` (the parent decides whether to unmount), and unmounting closes it properly, which
 * gives the focus back to what opened it.
 */
import { useEffect, useRef } from 'preact/hooks';

export function useModal(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = ref.current;
    element?.showModal();
    return () => element?.close();
  }, []);
  const onCancel = (event: Event) => {
    event.preventDefault();
    onClose();
  };
  return { ref, onCancel };
}
