/** Project files as stored ({path, content} lists) and as the API and validator see them (a record). */
import { createHash } from 'node:crypto';
import type { StoredFile } from '../db/documents.js';

export function toStored(files: Readonly<Record<string, string>>): StoredFile[] {
  return Object.keys(files).sort().map((path) => ({ path, content: files[path] ?? '' }));
}

export function toRecord(files: readonly StoredFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, f.content]));
}

/** Identifies a version's content: the entrypoint and every file, order-independent. */
export function contentHash(files: readonly StoredFile[], entrypoint: string): string {
  const hash = createHash('sha256').update(`entry:${entrypoint.length}:${entrypoint}`);
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${f.path.length}:${f.path}${Buffer.byteLength(f.content)}:${f.content}`);
  }
  return hash.digest('hex').slice(0, 32);
}
