/** Tabs per the ARIA pattern: a tablist, arrow keys (and Home/End) move between tabs, one tab panel shown. */
import type { ComponentChildren } from 'preact';

export interface Tab {
  readonly id: string;
  readonly label: string;
}

export interface Props {
  readonly label: string;
  readonly tabs: readonly Tab[];
  readonly selected: string;
  readonly onSelect: (id: string) => void;
  readonly children: ComponentChildren;
}

export function Tabs({ label, tabs, selected, onSelect, children }: Props) {
  const move = (event: KeyboardEvent, index: number) => {
    const to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    if (!next) return;
    onSelect(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <>
      <div class="tabs" role="tablist" aria-label={label}>
        {tabs.map((tab, index) => (
          <button key={tab.id} id={`tab-${tab.id}`} type="button" role="tab" aria-selected={tab.id === selected} aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1} onClick={() => onSelect(tab.id)} onKeyDown={(e) => move(e, index)}>
            {tab.label}
          </button>
        ))}
      </div>
      <div class="tab-panel" role="tabpanel" id={`panel-${selected}`} aria-labelledby={`tab-${selected}`} tabIndex={0}>{children}</div>
    </>
  );
}
