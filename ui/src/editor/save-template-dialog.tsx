/** Save the app's current draft as one of your templates (placeholder until the gallery work lands). */
import type { EditorStore } from '../stores/editor';

export interface Props {
  readonly store: EditorStore;
  readonly onClose: () => void;
}

export function SaveTemplateDialog({ onClose }: Props) {
  return <dialog open><button type="button" onClick={onClose}>Close</button></dialog>;
}
