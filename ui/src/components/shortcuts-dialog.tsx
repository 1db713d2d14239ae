/** The keyboard shortcuts, listed in a modal dialog (opened with "?" anywhere outside a text field, or from the top bar). */
import { useModal } from '../lib/modal';
import { modKey } from '../lib/keys';

export interface Props {
  readonly onClose: () => void;
}

const shortcuts: readonly (readonly [string, string])[] = [
  ['?', 'Show this list'],
  ['/', 'Search your apps (on the apps list)'],
  [`${modKey}+S`, 'Save the draft (in the editor)'],
  [`${modKey}+Enter`, 'Save and deploy (in the editor)'],
  ['Ctrl+M', 'In the code, make Tab move the focus instead of indenting (and back)'],
  ['F1', 'The code editor\'s command palette'],
  ['Escape', 'Close a dialog or the settings drawer'],
  ['← → Home End', 'Move between tabs'],
];

export function ShortcutsDialog({ onClose }: Props) {
  const modal = useModal(onClose);
  return (
    <dialog class="confirm card" ref={modal.ref} aria-labelledby="shortcuts-heading" onCancel={modal.onCancel}>
      <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
      <dl class="shortcuts">
        {shortcuts.map(([keys, what]) => (
          <div key={keys}><dt><kbd>{keys}</kbd></dt><dd>{what}</dd></div>
        ))}
      </dl>
      <div class="row"><span class="spacer" /><button type="button" onClick={onClose}>Close</button></div>
    </dialog>
  );
}
