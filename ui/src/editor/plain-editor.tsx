/**
 * The code as a plain editable text area, shown the moment the file's text is known while Monaco
 * still loads (code-editor.tsx swaps Monaco in at the same place, with everything typed here, the
 * cursor, the selection, the scroll position and the focus). Same font, line height and left offset
 * as Monaco's text, so nothing moves at the swap. Tab indents by four spaces, as in Monaco.
 */
import type { Ref } from 'preact';

export interface Props {
  readonly path: string;
  readonly value: string;
  readonly onInput: (path: string, value: string) => void;
  readonly inputRef: Ref<HTMLTextAreaElement>;
}

export function PlainEditor({ path, value, onInput, inputRef }: Props) {
  const indent = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    const area = event.currentTarget as HTMLTextAreaElement;
    area.setRangeText('    ', area.selectionStart, area.selectionEnd, 'end');
    onInput(path, area.value);
  };
  return (
    <textarea ref={inputRef} class="plain-editor" aria-label={`Code of ${path}`} data-testid="plain-editor" spellcheck={false} wrap="off"
      autoCapitalize="off" autoComplete="off" value={value} onInput={(e) => onInput(path, e.currentTarget.value)} onKeyDown={indent} />
  );
}
