/**
 * Images without a registry: layers are plain tars (`tar --numeric-owner`), an image is a docker-archive
 * tarball (`manifest.json`, the config JSON, each layer as `<id>/layer.tar`), which `ctr images import`
 * accepts. Digests are computed once per layer file and kept beside it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The image config's `config` section (what `docker inspect` shows as Config). */
export interface ImageConfig {
  readonly Env: readonly string[];
  readonly User?: string;
  readonly WorkingDir?: string;
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A layer tar's sha256 (its diff id), cached in `<tar>.sha256` keyed by size and modification time. */
export async function diffId(tar: string): Promise<string> {
  const info = await stat(tar);
  const stamp = `${info.size} ${info.mtimeMs}`;
  const sidecar = `${tar}.sha256`;
  const cached = (await readFile(sidecar, 'utf8').catch(() => '')).split('\n');
  if (cached[0] === stamp && cached[1]) return cached[1];
  const digest = await sha256File(tar);
  await writeFile(sidecar, `${stamp}\n${digest}\n`);
  return digest;
}

/** Tars a staged directory as one layer (owned by root unless the staging says otherwise). */
export async function layerFromDir(dir: string, out: string): Promise<string> {
  await mkdir(dirname(out), { recursive: true });
  await exec('tar', ['--numeric-owner', '--owner=0', '--group=0', '--sort=name', '-C', dir, '-cf', `${out}.partial`, '.']);
  await rename(`${out}.partial`, out);
  return out;
}

export interface ArchiveSpec {
  readonly tag: string;
  readonly layers: readonly string[];
  readonly config: ImageConfig;
}

/** Writes a docker-archive tarball of `spec` to `out` (layers are hard-linked into the staging, not copied twice). */
export async function writeArchive(spec: ArchiveSpec, out: string): Promise<void> {
  const staging = await mkdtemp(`${out}.staging-`);
  try {
    const ids = [];
    for (const layer of spec.layers) {
      const id = await diffId(layer);
      ids.push(id);
      await mkdir(join(staging, id), { recursive: true });
      await link(layer, join(staging, id, 'layer.tar')).catch(async () => {
        await exec('cp', [layer, join(staging, id, 'layer.tar')]);
      });
    }
    const config = JSON.stringify({
      architecture: 'amd64', os: 'linux', config: spec.config,
      rootfs: { type: 'layers', diff_ids: ids.map((id) => `sha256:${id}`) },
      history: ids.map(() => ({ created_by: 'fastapi-platform test bed (test/bed/images)' })),
    });
    const configId = createHash('sha256').update(config).digest('hex');
    await writeFile(join(staging, `${configId}.json`), config);
    await writeFile(join(staging, 'manifest.json'), JSON.stringify([{ Config: `${configId}.json`, RepoTags: [spec.tag], Layers: ids.map((id) => `${id}/layer.tar`) }]));
    await exec('tar', ['--hard-dereference', '-C', staging, '-cf', `${out}.partial`, '.']);
    await rename(`${out}.partial`, out);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
