/**
 * The project's files as a tree of folders (a folder exists while a file's path runs through it): pick
 * a file to edit, open and close folders, add a file (in the folder you are in, or any path with "/"),
 * rename and delete (behind the platform's own confirmation). Names never wrap mid-word: a long one is
 * cut with an ellipsis and shown whole on hover. The entry point is marked and cannot be renamed or
 * deleted. Files with errors carry a marker.
 */
import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ancestors, fileTree, type TreeNode } from '../lib/file-tree';
import type { EditorStore } from '../stores/editor';

export interface Props {
  readonly store: EditorStore;
}

export function FileTree({ store }: Props) {
  const [adding, setAdding] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const active = store.active.value;
  const entrypoint = store.entrypoint.value;
  // The folders around the file being edited are always open.
  useEffect(() => {
    const around = ancestors(active);
    if (around.some((folder) => closed.has(folder))) setClosed(new Set([...closed].filter((f) => !around.includes(f))));
  }, [active]);
  const tree = fileTree(Object.keys(store.files.value), entrypoint);
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
  const toggle = (folder: string) => {
    const next = new Set(closed);
    if (next.has(folder)) next.delete(folder);
    else next.add(folder);
    setClosed(next);
  };
  const folderOfActive = active.includes('/') ? `${active.slice(0, active.lastIndexOf('/'))}/` : '';

  const render = (nodes: readonly TreeNode[]) => (
    <ul role="list">
      {nodes.map((node) => node.kind === 'folder' ? (
        <li key={`d:${node.path}`}>
          <div class="entry-row">
            <button type="button" class="folder" aria-expanded={!closed.has(node.path)} title={node.path} onClick={() => toggle(node.path)}>
              <span aria-hidden="true">{closed.has(node.path) ? '▸' : '▾'} </span>{node.name}/
            </button>
          </div>
          {!closed.has(node.path) && render(node.children)}
        </li>
      ) : (
        <li key={node.path}>
          {renaming?.from === node.path ? (
            <form onSubmit={rename}>
              <label class="visually-hidden" for="rename-file">New name for {node.path}</label>
              <input id="rename-file" value={renaming.to} autoFocus onInput={(e) => setRenaming({ from: node.path, to: e.currentTarget.value })}
                onKeyDown={(e) => { if (e.key === 'Escape') setRenaming(null); }} />
            </form>
          ) : (
            <div class="entry-row">
              <button type="button" class="file" aria-current={active === node.path ? 'true' : undefined} title={node.path} aria-label={node.path} onClick={() => store.open(node.path)}>
                {node.name}{broken.has(node.path) && <span class="flag" aria-label="has errors" role="img">●</span>}
              </button>
              {node.path === entrypoint ? <span class="entry" title="The module the runner imports">entry</span> : (
                <span class="tools">
                  <button type="button" aria-label={`Rename ${node.path}`} title="Rename" onClick={() => { setRenaming({ from: node.path, to: node.path }); setProblem(null); }}>✎</button>
                  <button type="button" aria-label={`Delete ${node.path}`} title="Delete" onClick={() => { setDeleting(node.path); setProblem(null); }}>✕</button>
                </span>
              )}
            </div>
          )}
        </li>
      ))}
    </ul>
  );

  return (
    <nav class="file-tree" aria-label="Files">
      <div class="row"><h2>Files</h2><span class="spacer" /><button type="button" class="small" onClick={() => { setAdding(folderOfActive); setProblem(null); }}>Add file</button></div>
      {render(tree)}
      {adding !== null && (
        <form onSubmit={add}>
          <label for="new-file">New file name</label>
          <input id="new-file" value={adding} placeholder="helpers.py or static/site.css" autoFocus onInput={(e) => setAdding(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Escape') setAdding(null); }} aria-describedby={problem ? 'file-problem' : 'new-file-hint'} />
          <p id="new-file-hint" class="hint">A "/" makes folders: <span class="mono">lib/util.py</span>.</p>
        </form>
      )}
      {problem && <p id="file-problem" class="problem" role="alert">{problem}</p>}
      <p class="muted hint-keys">In the code, Tab indents. Press Ctrl+M to make Tab move focus instead. <kbd>?</kbd> lists the shortcuts.</p>
      {deleting && (
        <ConfirmDialog title={`Delete ${deleting}?`} confirmLabel="Delete file" busyLabel="Deleting…" onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const result = store.deleteFile(deleting);
            if (result) throw new Error(result);
          }}>
          <p>It leaves the draft when you save; versions already deployed keep it.</p>
        </ConfirmDialog>
      )}
    </nav>
  );
}
