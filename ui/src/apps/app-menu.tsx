/** An app's less frequent actions in a small menu (a disclosure, so it works with the keyboard): dashboard, history, database, clone, delete. */
import { useRef } from 'preact/hooks';

export interface Props {
  readonly appId: string;
  readonly appName: string;
  readonly onClone: () => void;
  readonly onDelete: () => void;
  /** Extra entries before Clone (the editor's own actions). */
  readonly children?: preact.ComponentChildren;
  /** The dashboard and history links also show outside the menu on wide screens (the editor's toolbar): here only on narrow ones. @default false */
  readonly linksOutside?: boolean;
}

export function AppMenu({ appId, appName, onClone, onDelete, children, linksOutside = false }: Props) {
  const linkClass = linksOutside ? 'button narrow-only' : 'button';
  const details = useRef<HTMLDetailsElement>(null);
  const close = () => { if (details.current) details.current.open = false; };
  const act = (action: () => void) => () => { close(); action(); };
  return (
    <details class="more-menu" ref={details} onKeyDown={(e) => { if (e.key === 'Escape' && details.current?.open) { e.stopPropagation(); close(); details.current.querySelector('summary')?.focus(); } }}>
      <summary class="button" aria-label={`More actions for ${appName}`}>More<span aria-hidden="true"> ▾</span></summary>
      <div class="menu" onClick={(e) => { if ((e.target as HTMLElement).closest('a, button')) close(); }}>
        {children}
        <a class={linkClass} href={`/apps/${appId}/dashboard`}>Dashboard</a>
        <a class={linkClass} href={`/apps/${appId}/history`}>History</a>
        <a class="button" href={`/databases?app=${appId}`}>Database</a>
        <button type="button" onClick={act(onClone)}>Clone…</button>
        <button type="button" class="danger" onClick={act(onDelete)}>Delete…</button>
      </div>
    </details>
  );
}
