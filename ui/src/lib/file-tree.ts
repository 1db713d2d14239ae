/**
 * A project's flat paths ("lib/util.py") as a tree of folders and files, for the editor's file tree:
 * at each level folders first, then files, each alphabetically; the entry point first of all. Pure.
 */
export interface FileNode {
  readonly kind: 'file';
  readonly name: string;
  readonly path: string;
}

export interface FolderNode {
  readonly kind: 'folder';
  readonly name: string;
  /** The folder's path without a trailing slash ("lib/sub"). */
  readonly path: string;
  readonly children: readonly TreeNode[];
}

export type TreeNode = FileNode | FolderNode;

interface Building {
  folders: Map<string, Building>;
  files: string[];
}

export function fileTree(paths: readonly string[], entrypoint = ''): TreeNode[] {
  const root: Building = { folders: new Map(), files: [] };
  for (const path of paths) {
    const parts = path.split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.folders.get(part);
      if (!next) {
        next = { folders: new Map(), files: [] };
        node.folders.set(part, next);
      }
      node = next;
    }
    node.files.push(path);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' }) || (a < b ? -1 : 1);
  const convert = (node: Building, prefix: string): TreeNode[] => [
    ...[...node.folders.keys()].sort(byName).map((name): FolderNode => {
      const path = prefix ? `${prefix}/${name}` : name;
      return { kind: 'folder', name, path, children: convert(node.folders.get(name) as Building, path) };
    }),
    ...node.files
      .map((path): FileNode => ({ kind: 'file', name: path.slice(path.lastIndexOf('/') + 1), path }))
      .sort((a, b) => (a.path === entrypoint ? -1 : b.path === entrypoint ? 1 : byName(a.name, b.name))),
  ];
  const tree = convert(root, '');
  const entry = tree.find((n) => n.path === entrypoint);
  return entry ? [entry, ...tree.filter((n) => n !== entry)] : tree;
}

/** The folders that contain `path` ("a/b/c.py" → ["a", "a/b"]), to open them when the file is shown. */
export function ancestors(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
