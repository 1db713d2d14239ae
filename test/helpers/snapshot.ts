/**
 * A directory tree's listing with each entry's type, size and modification time, to prove nothing
 * was written there. Needed because tests may run as root, where read-only permissions stop nothing.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const info = await lstat(path);
      const kind = info.isDirectory() ? 'd' : info.isSymbolicLink() ? 'l' : 'f';
      entries.set(path.slice(root.length), `${kind}:${info.size}:${info.mtimeMs}`);
      if (info.isDirectory()) await walk(path);
    }
  }
  const top = await lstat(root);
  entries.set('.', `d:${top.mtimeMs}`);
  await walk(root);
  return entries;
}

/** Entries added, removed or modified between two snapshots. */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [path, value] of after) {
    if (!before.has(path)) changed.push(`added ${path}`);
    else if (before.get(path) !== value) changed.push(`modified ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changed.push(`removed ${path}`);
  return changed;
}
