/**
 * The process's working directory: a scratch directory under $TMPDIR (/tmp) whose entries are symlinks to
 * the project's, so relative reads (`readFile('data.json')`) see the project while relative writes land
 * in /tmp: the code directory and the root filesystem are read-only.
 */
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export function prepareWorkdir(codeDir: string): string {
  const workdir = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'app-'));
  let entries: string[] = [];
  try {
    entries = readdirSync(codeDir);
  } catch {
    // A missing project is reported when the entrypoint is looked for.
  }
  // A ConfigMap volume's bookkeeping (`..data`, `..<timestamp>`) is not the project's.
  for (const name of entries) if (!name.startsWith('..')) symlinkSync(join(codeDir, name), join(workdir, name));
  process.chdir(workdir);
  return workdir;
}
