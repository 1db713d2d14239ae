/**
 * The project on disk: `.fp.yaml` (found in this folder or above; the original CLI's format: name,
 * entrypoint, env, database; extended with app_id once linked and an optional platform), its files
 * as the platform would deploy them, and `.fp/state.json`, what the last pull or push agreed with the
 * platform (the draft revision and each file's hash), which conflict detection compares against.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { defaultAllowedExtensions, extensionOf } from '../../validation/index.js';
import { CliError, exitCodes } from './exit-codes.js';

export interface ProjectFile {
  name: string;
  entrypoint: string;
  app_id?: string;
  platform?: string;
  env?: Record<string, string>;
  database?: unknown;
}

export interface Project {
  readonly dir: string;
  readonly file: ProjectFile;
}

export interface SyncState {
  readonly appId: string;
  readonly url: string;
  readonly revision: number;
  /** Path → SHA-256 of the content both sides had at that revision. */
  readonly hashes: Record<string, string>;
}

export const projectFileName = '.fp.yaml';
const skippedFolders = new Set(['__pycache__', 'node_modules', 'site-packages']);
const maxFiles = 1000;

export async function findProject(start = process.cwd()): Promise<Project | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, projectFileName);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) return { dir, file: await parseProjectFile(text, path) };
    if (dirname(dir) === dir) return undefined;
  }
}

export async function requireProject(): Promise<Project> {
  const project = await findProject();
  if (!project) throw new CliError(`No ${projectFileName} in this folder or above.`, exitCodes.usage, 'Run `fp init` to start a project here, or `fp clone <app>` to fetch one.');
  return project;
}

async function parseProjectFile(text: string, path: string): Promise<ProjectFile> {
  const { parse } = await import('yaml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, exitCodes.usage);
  }
  const file = (data ?? {}) as Record<string, unknown>;
  if (typeof file.name !== 'string' || !file.name.trim()) throw new CliError(`${path} needs a name, e.g. "name: my-app".`, exitCodes.usage);
  const env = file.env && typeof file.env === 'object' ? Object.fromEntries(Object.entries(file.env).map(([k, v]) => [k, String(v)])) : undefined;
  return {
    name: file.name.trim(),
    entrypoint: typeof file.entrypoint === 'string' && file.entrypoint ? file.entrypoint : 'app.py',
    ...(typeof file.app_id === 'string' ? { app_id: file.app_id } : {}),
    ...(typeof file.platform === 'string' ? { platform: file.platform } : {}),
    ...(env ? { env } : {}),
    ...(file.database !== undefined && file.database !== null && file.database !== false ? { database: file.database } : {}),
  };
}

/** Writes .fp.yaml, keeping the comments and key order of an existing one. */
export async function writeProjectFile(dir: string, file: ProjectFile): Promise<void> {
  const { parseDocument, stringify } = await import('yaml');
  const path = join(dir, projectFileName);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  let text: string;
  if (existing === undefined) {
    text = `# The FastAPI Platform project (fp). app_id links it to an app once pushed or deployed.\n${stringify(file)}`;
  } else {
    const doc = parseDocument(existing);
    for (const [key, value] of Object.entries(file)) doc.set(key, value);
    text = doc.toString();
  }
  await writeFile(path, text);
}

/**
 * The files the platform would deploy: the validator's allowed extensions, no hidden files or folders,
 * no caches, virtualenvs (a folder with pyvenv.cfg) or node_modules. Keys are POSIX paths relative to the project.
 */
export async function collectFiles(dir: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  let count = 0;
  async function walk(folder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    if (folder !== dir && entries.some((e) => e.name === 'pyvenv.cfg')) return;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) await walk(path);
      } else if (entry.isFile() && defaultAllowedExtensions.includes(extensionOf(entry.name))) {
        if (++count > maxFiles) throw new CliError(`The project has more than ${maxFiles} files to deploy; is ${dir} the right folder?`, exitCodes.usage);
        files[relative(dir, path).split(sep).join('/')] = await readFile(path);
      }
    }
  }
  await walk(dir);
  return files;
}

/** Decodes files for the API; a file that is not UTF-8 is left to the validator, which names it. */
export function asText(files: Record<string, Buffer>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, bytes.toString('utf8')]));
}

export const hashOf = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

export function hashes(files: Record<string, string | Buffer>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, content]) => [path, hashOf(content)]));
}

const statePath = (dir: string) => join(dir, '.fp', 'state.json');

export async function readState(dir: string): Promise<SyncState | undefined> {
  const text = await readFile(statePath(dir), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const state = JSON.parse(text) as SyncState;
    return typeof state.revision === 'number' && typeof state.appId === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

export async function writeState(dir: string, state: SyncState): Promise<void> {
  await mkdir(join(dir, '.fp'), { recursive: true });
  await writeFile(join(dir, '.fp', '.gitignore'), '*\n');
  const partial = `${statePath(dir)}.partial`;
  await writeFile(partial, `${JSON.stringify(state, null, 2)}\n`);
  await rename(partial, statePath(dir));
}

/** Writes files under `dir`, creating folders; refuses a path that would leave it. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    if (relative(dir, target).startsWith('..')) throw new CliError(`Refusing to write ${path}: it is outside the project.`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
