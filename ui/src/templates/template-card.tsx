/**
 * One template in the gallery: a button that chooses it (pressed when chosen), and beside it, never
 * inside it, its actions: Hide or Unhide, and for your own templates Edit and Delete (asked twice).
 * The actions show on the chosen card only (and Unhide on hidden ones), so the gallery stays calm.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TemplateSummary } from '../http/client';

export interface Props {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly meta: string;
  readonly tags?: readonly string[];
  readonly chosen: boolean;
  readonly onChoose: () => void;
  /** The template's actions; none for the blank app. */
  readonly template?: TemplateSummary;
  readonly onHide?: () => void;
  readonly onUnhide?: () => void;
  readonly onEdit?: () => void;
  readonly onDelete?: () => Promise<boolean>;
}

export function TemplateCard({ id, title, description, meta, tags = [], chosen, onChoose, template, onHide, onUnhide, onEdit, onDelete }: Props) {
  const [confirming, setConfirming] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const remove = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) keep.current?.focus();
    else if (asked.current) remove.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  return (
    <li class={`card template-card${chosen ? ' chosen' : ''}${template?.hidden ? ' hidden-template' : ''}`} data-template-id={id}>
      <button type="button" class="template-choose" aria-pressed={chosen} onClick={onChoose}>
        <strong>{title}</strong>
        <span class="muted">{meta}</span>
        <span>{description}</span>
        {tags.length > 0 && <span class="tags">{tags.slice(0, 4).map((tag) => <span key={tag} class="tag">{tag}</span>)}</span>}
      </button>
      {template && !confirming && (chosen || template.hidden) && (
        <div class="template-actions">
          {template.hidden && <span class="badge draft">Hidden</span>}
          {template.hidden
            ? <button type="button" aria-label={`Unhide ${title}`} onClick={onUnhide}>Unhide</button>
            : <button type="button" aria-label={`Hide ${title}`} title="Hide it from your gallery (Show hidden brings it back)" onClick={onHide}>Hide</button>}
          {template.scope === 'mine' && chosen && <>
            <button type="button" aria-label={`Edit ${title}`} onClick={onEdit}>Edit</button>
            <button type="button" class="danger" ref={remove} aria-label={`Delete ${title}`} onClick={() => setConfirming(true)}>Delete</button>
          </>}
        </div>
      )}
      {template && confirming && (
        <div class="template-actions" role="group" aria-label={`Delete ${title}?`}>
          <span>Delete it for good?</span>
          <button type="button" class="danger" onClick={() => { void onDelete?.().then((ok) => { if (!ok) setConfirming(false); }); }}>Yes, delete</button>
          <button type="button" ref={keep} onClick={() => setConfirming(false)}>Keep it</button>
        </div>
      )}
    </li>
  );
}
