/** Every validation finding, grouped by file; each one opens its file at its line. */
import type { EditorStore } from '../stores/editor';

export function Problems({ store }: { readonly store: EditorStore }) {
  const findings = store.findings.value;
  if (findings.length === 0) return <p class="muted">No problems found. Validation runs as you type.</p>;
  return (
    <ul class="problems">
      {findings.map((f) => (
        <li key={`${f.file}:${f.line}:${f.column}:${f.code}`}>
          <button type="button" onClick={() => store.open(f.file, f.line)}>
            <span class={f.severity === 'error' ? 'problem' : 'muted'}>{f.severity}</span> <span class="mono">{f.file}:{f.line}</span> {f.message}
          </button>
        </li>
      ))}
    </ul>
  );
}
