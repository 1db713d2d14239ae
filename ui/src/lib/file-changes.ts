/** What changed between two versions of a project, file by file, changed files first. */
export type Change = 'added' | 'removed' | 'modified' | 'unchanged';

export interface FileChange {
  readonly path: string;
  readonly change: Change;
}

const order: Record<Change, number> = { modified: 0, added: 1, removed: 2, unchanged: 3 };

export function fileChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): FileChange[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return paths.map((path): FileChange => {
    if (!(path in before)) return { path, change: 'added' };
    if (!(path in after)) return { path, change: 'removed' };
    return { path, change: before[path] === after[path] ? 'unchanged' : 'modified' };
  }).sort((a, b) => order[a.change] - order[b.change] || a.path.localeCompare(b.path));
}
