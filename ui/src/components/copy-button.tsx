/** Copies a text to the clipboard and says so. */
import { useStores } from '../stores/context';

export interface Props {
  readonly text: string;
  readonly label: string;
}

export function CopyButton({ text, label }: Props) {
  const { toasts } = useStores();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      toasts.show('Copied.');
    } catch {
      toasts.show('The browser did not allow copying; select the text instead.', 'error');
    }
  };
  return <button type="button" onClick={() => void copy()} aria-label={label}>Copy</button>;
}
