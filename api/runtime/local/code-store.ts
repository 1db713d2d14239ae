/**
 * Where the local runtime keeps what the Kubernetes runtime would mount: each version's files in a
 * read-only directory (`<dataDir>/apps/<id>/v<n>-<hash8>/`, like the code ConfigMap at /code), and one
 * scratch directory per runner process (like the pod's emptyDir /tmp, gone when the process is).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RuntimeVersion } from '../types.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Directories first made writable again: removing entries of a 0555 directory fails otherwise. */
async function removeTree(path: string): Promise<void> {
  if (!(await exists(path))) return;
  const walk = async (dir: string): Promise<void> => {
    await chmod(dir, 0o755).catch(() => {});
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
    }
  };
  await walk(path);
  await rm(path, { recursive: true, force: true });
}

async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeReadOnly(path);
    else await chmod(path, 0o444);
  }
  await chmod(dir, 0o555);
}

export class CodeStore {
  constructor(private readonly dataDir: string) {}

  private appDir(appId: string): string {
    return join(this.dataDir, 'apps', appId);
  }

  /** Where a version's files live. */
  pathOf(appId: string, version: RuntimeVersion): string {
    return join(this.appDir(appId), `v${version.number}-${version.contentHash.slice(0, 8)}`);
  }

  /** Writes the version's files to `dir` once (atomically, by rename); an existing copy is reused. */
  async write(dir: string, version: RuntimeVersion): Promise<void> {
    if (await exists(dir)) return;
    const staging = `${dir}.staging-${randomBytes(4).toString('hex')}`;
    for (const file of version.files) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
    }
    await mkdir(staging, { recursive: true });
    await makeReadOnly(staging);
    try {
      await rename(staging, dir);
    } catch (error) {
      // A concurrent writer of the same version won; its copy is identical.
      await removeTree(staging);
      if (!(await exists(dir))) throw error;
    }
  }

  async scratchDir(appId: string, name: string): Promise<string> {
    const dir = join(this.appDir(appId), 'scratch', name);
    await removeTree(dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  async removeScratch(dir: string): Promise<void> {
    await removeTree(dir);
  }

  /** Code directories not in use (`keep` is asked per entry: a rollout may begin meanwhile); copies being written stay. */
  async prune(appId: string, keep: () => readonly (string | undefined)[]): Promise<void> {
    const root = this.appDir(appId);
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(root, entry.name);
      if (!entry.isDirectory() || entry.name === 'scratch' || entry.name.includes('.staging-')) continue;
      if (!keep().includes(path)) await removeTree(path);
    }
  }

  async removeApp(appId: string): Promise<void> {
    await removeTree(this.appDir(appId));
  }
}
