/**
 * Keeps the image cache bounded. Archives and layers are keyed by content, so every change to the API or
 * a runner leaves a new `<name>-<key>.tar` beside the old ones (half a GiB each for the API): without
 * pruning, a developer's cache grew to 29 GiB in a day. Called under the real node's machine-wide lock,
 * so no other run is importing an archive at the time; the newest few of each name stay, for clones on
 * other commits.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const keyed = /^(.+)-[0-9a-f]{16}\.tar$/;
/** A staging directory this old is a crashed run's. */
const staleStageMs = 60 * 60_000;

/** Removes all but the `keep` newest `<name>-<key>.tar` of each name in `dir` (with their `.sha256` sidecars), and stale staging directories. */
export async function pruneKeyed(dir: string, keep: number, spare: ReadonlySet<string> = new Set()): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const groups = new Map<string, { file: string; mtimeMs: number }[]>();
  const removed: string[] = [];
  for (const file of entries) {
    const info = await stat(join(dir, file)).catch(() => undefined);
    if (!info) continue;
    if (file.startsWith('stage-') && info.isDirectory() && Date.now() - info.mtimeMs > staleStageMs) {
      await rm(join(dir, file), { recursive: true, force: true });
      removed.push(file);
      continue;
    }
    const name = keyed.exec(file)?.[1];
    if (!name || !info.isFile()) continue;
    groups.set(name, [...(groups.get(name) ?? []), { file, mtimeMs: info.mtimeMs }]);
  }
  for (const files of groups.values()) {
    const old = files.sort((a, b) => b.mtimeMs - a.mtimeMs).slice(keep).filter((f) => !spare.has(join(dir, f.file)));
    for (const { file } of old) {
      await rm(join(dir, file), { force: true });
      await rm(join(dir, `${file}.sha256`), { force: true });
      removed.push(file);
    }
  }
  return removed;
}
