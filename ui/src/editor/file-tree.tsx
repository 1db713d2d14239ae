/**
 * The project's files: pick one to edit, add (folders by "/" in the name), rename and delete. The
 * entry point is marked and cannot be renamed or deleted. Files with errors carry a marker.
 */
import { useState } from 'preact/hooks';
import type { EditorStore } from '../stores/editor';

export interface Props {
  readonly store: EditorStore;
}

export function FileTree({ store }: Props) {
  const [adding, setAdding] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const paths = Object.keys(store.files.value).sort((a, b) => (a === store.entrypoint.value ? -1 : b === store.entrypoint.value ? 1 : a.localeCompare(b)));
  const broken = new Set(store.findings.value.filter((f) => f.severity === 'error').map((f) => f.file));
  const add = (event: Event) => {
    event.preventDefault();
    const result = store.addFile((adding ?? '').trim());
    setProblem(result);
    if (!result) setAdding(null);
  };
  const rename = (event: Event) => {
    event.preventDefault();
    if (!renaming) return;
    const result = renaming.to === renaming.from ? null : store.renameFile(renaming.from, renaming.to.trim());
    setProblem(result);
    if (!result) setRenaming(null);
  };
  const remove = (path: string) => {
    if (!confirm(`Delete ${path}? It goes from the draft when you save.`)) return;
    setProblem(store.deleteFile(path));
  };
  return (
    <nav class="file-tree" aria-label="Files">
      <div class="row"><h2>Files</h2><span class="spacer" /><button type="button" onClick={() => { setAdding(''); setProblem(null); }}>Add file</button></div>
      <ul>
        {paths.map((path) => (
          <li key={path}>
            {renaming?.from === path ? (
              <form onSubmit={rename}>
                <label class="visually-hidden" for="rename-file">New name for {path}</label>
                <input id="rename-file" value={renaming.to} autoFocus onInput={(e) => setRenaming({ from: path, to: e.currentTarget.value })}
                  onKeyDown={(e) => { if (e.key === 'Escape') setRenaming(null); }} />
              </form>
            ) : (
              <>
                <button type="button" class="file" aria-current={store.active.value === path ? 'true' : undefined} onClick={() => store.open(path)}>
                  {path}{broken.has(path) && <span class="flag" aria-label="has errors" role="img">●</span>}
                </button>
                {path === store.entrypoint.value ? <span class="entry" title="The module the runner imports">entry</span> : (
                  <span class="tools">
                    <button type="button" aria-label={`Rename ${path}`} onClick={() => { setRenaming({ from: path, to: path }); setProblem(null); }}>✎</button>
                    <button type="button" aria-label={`Delete ${path}`} onClick={() => remove(path)}>✕</button>
                  </span>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {adding !== null && (
        <form onSubmit={add}>
          <label for="new-file">New file name</label>
          <input id="new-file" value={adding} placeholder="helpers.py or static/site.css" autoFocus onInput={(e) => setAdding(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Escape') setAdding(null); }} aria-describedby={problem ? 'file-problem' : undefined} />
        </form>
      )}
      {problem && <p id="file-problem" class="problem" role="alert">{problem}</p>}
      <p class="muted hint-keys">In the code, Tab indents. Press Ctrl+M to make Tab move focus instead.</p>
    </nav>
  );
}
