/**
 * Content hashes that go on the pod template, so a change of code or of env rolls the pods (a
 * ConfigMap or Secret change alone restarts nothing). Inputs are length-prefixed and sorted, so no
 * two different inputs can collide by concatenation, and the order of keys does not matter.
 */
import { createHash } from 'node:crypto';

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part}`);
  return hash.digest('hex').slice(0, 16);
}

function sortedEntries(record: Readonly<Record<string, string>>): string[] {
  return Object.keys(record)
    .sort()
    .flatMap((key) => [key, record[key] ?? '']);
}

export function codeHash(files: Readonly<Record<string, string>>, entrypoint: string): string {
  return digest(['entrypoint', entrypoint, ...sortedEntries(files)]);
}

export function envHash(env: Readonly<Record<string, string>>): string {
  return digest(sortedEntries(env));
}
