/**
 * The bed builds the runner and API images without Docker (test/bed/images); operators build
 * runner/Dockerfile and api/Dockerfile. These tests parse each Dockerfile and check the built image's
 * config and files against it, so the two paths cannot drift: ENV, USER, WORKDIR, ENTRYPOINT/CMD,
 * EXPOSE, every COPY destination, the pinned requirements installed, and a Debian 12 root with CPython
 * 3.11 new enough for them; the Node runner's image likewise against runner-node/Dockerfile. The node runs
 * what it imported under the runners' tags.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { repoRoot } from '../bed/paths.js';
import { all, copiesOf, envOf, parseDockerfile } from '../helpers/dockerfile.js';
import { ctr, nodeBed } from '../helpers/node.js';

const exec = promisify(execFile);

interface Image {
  readonly config: { Env: string[]; User?: string; WorkingDir?: string; Entrypoint?: string[]; Cmd?: string[]; ExposedPorts?: Record<string, object> };
  /** Every path in the image's layers, without a leading `./` or trailing `/`. */
  readonly paths: Set<string>;
  read(path: string): Promise<string>;
}

async function openArchive(archive: string): Promise<Image> {
  const untar = async (args: string[]) => (await exec('tar', args, { maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' })).stdout;
  const manifest = JSON.parse((await untar(['-xOf', archive, './manifest.json'])).toString()) as { Config: string; Layers: string[] }[];
  const entry = manifest[0];
  if (!entry) throw new Error(`${archive} has no manifest entry`);
  const config = JSON.parse((await untar(['-xOf', archive, `./${entry.Config}`])).toString()).config as Image['config'];
  const paths = new Set<string>();
  const layerOf = new Map<string, string>();
  for (const layer of entry.Layers) {
    const listing = await exec('bash', ['-c', `tar -xOf "$0" "./$1" | tar -t`, archive, layer], { maxBuffer: 256 * 1024 * 1024 });
    for (const line of listing.stdout.split('\n')) {
      const path = `/${line.replace(/^\.\//, '').replace(/\/$/, '')}`;
      paths.add(path);
      layerOf.set(path, layer);
    }
  }
  return {
    config, paths,
    async read(path) {
      const layer = layerOf.get(path);
      if (!layer) throw new Error(`${path} is not in the image`);
      return (await exec('bash', ['-c', `tar -xOf "$0" "./$1" | tar -xO "./$2"`, archive, layer, path.slice(1)], { maxBuffer: 16 * 1024 * 1024 })).stdout;
    },
  };
}

/** `ENTRYPOINT ["a", "b"]` / `CMD [...]` in exec form. */
const execForm = (args: string | undefined) => (args ? JSON.parse(args) as string[] : undefined);

test('the runner image is runner/Dockerfile\'s: env, user, workdir, entrypoint, port, files and pinned requirements', async (t) => {
  const dockerfile = parseDockerfile(await readFile(`${repoRoot}runner/Dockerfile`, 'utf8'));
  const image = await openArchive(nodeBed().runnerArchive);
  const stage = dockerfile.final;
  for (const [name, value] of Object.entries(envOf(stage))) t.true(image.config.Env.includes(`${name}=${value}`), `ENV ${name}=${value}`);
  t.is(image.config.User, all(stage, 'USER')[0]);
  t.is(image.config.WorkingDir, all(stage, 'WORKDIR')[0]);
  t.deepEqual(image.config.Entrypoint, execForm(all(stage, 'ENTRYPOINT')[0]));
  t.deepEqual(Object.keys(image.config.ExposedPorts ?? {}), all(stage, 'EXPOSE').map((port) => `${port}/tcp`));
  for (const copy of copiesOf(stage)) {
    for (const source of copy.sources) {
      const dest = copy.dest.endsWith('/') || copy.sources.length > 1 ? `${copy.dest.replace(/\/$/, '')}/${source.split('/').at(-1)}` : copy.dest;
      t.true(image.paths.has(dest), `COPY ${source} → ${dest}`);
      if (source === '_platform_runner') {
        const { stdout } = await exec('ls', [`${repoRoot}runner/_platform_runner`]);
        for (const file of stdout.split('\n').filter((f) => f.endsWith('.py'))) t.true(image.paths.has(`${dest}/${file}`), `${dest}/${file}`);
      } else {
        t.is(await image.read(dest), await readFile(`${repoRoot}runner/${source}`, 'utf8'), `${dest} is the repository's`);
      }
    }
  }
  // `pip install -r requirements.txt` into the image's own site-packages, every pin exactly.
  const sitePackages = '/usr/local/lib/python3.11/site-packages';
  for (const line of (await readFile(`${repoRoot}runner/requirements.txt`, 'utf8')).split('\n')) {
    const pin = /^([A-Za-z0-9_.-]+)==([^\s#]+)/.exec(line);
    if (!pin) continue;
    const dist = `${pin[1]?.replace(/[-.]/g, '_')}-${pin[2]}.dist-info`.toLowerCase();
    t.true([...image.paths].some((p) => p.toLowerCase() === `${sitePackages}/${dist}`), `${pin[1]}==${pin[2]} is installed`);
  }
  // FROM python:3.11.x-slim-bookworm: a Debian 12 root and a CPython 3.11 the pins accept (soupsieve needs >= 3.11.5).
  t.regex(dockerfile.stages[0]?.from ?? '', /^python:3\.11\.\d+-slim-bookworm$/);
  t.regex(await image.read('/etc/debian_version'), /^12\./);
  t.true(image.paths.has('/usr/local/bin/python3.11'));
  const version = image.config.Env.find((e) => e.startsWith('PYTHON_VERSION='))?.split('=')[1] ?? '';
  t.regex(version, /^3\.11\.\d+$/);
  t.true(Number(version.split('.')[2]) >= 5, `CPython ${version} is new enough for the pinned requirements`);

  const listed = await ctr(['images', 'ls', '-q']);
  t.true(listed.split('\n').includes(`docker.io/${nodeBed().runnerImage}`), 'the node has the runner image under its tag');
});

test('the API image is api/Dockerfile\'s: env, user, workdir, command, port, Node 20 and the build', async (t) => {
  const dockerfile = parseDockerfile(await readFile(`${repoRoot}api/Dockerfile`, 'utf8'));
  const image = await openArchive(nodeBed().apiArchive);
  const stage = dockerfile.final;
  for (const [name, value] of Object.entries(envOf(stage))) t.true(image.config.Env.includes(`${name}=${value}`), `ENV ${name}=${value}`);
  t.is(image.config.User, all(stage, 'USER')[0]);
  t.is(image.config.WorkingDir, all(stage, 'WORKDIR')[0]);
  t.deepEqual(image.config.Cmd, execForm(all(stage, 'CMD')[0]));
  t.deepEqual(Object.keys(image.config.ExposedPorts ?? {}), all(stage, 'EXPOSE').map((port) => `${port}/tcp`));
  for (const copy of copiesOf(stage)) t.true(image.paths.has(copy.dest.replace(/\/$/, '')), `COPY --from=${copy.from} → ${copy.dest}`);
  t.true(image.paths.has('/app/build/api/main.js'), 'the command\'s script is there');
  t.true(image.paths.has('/app/node_modules/mongodb/package.json'));
  t.false(image.paths.has('/app/node_modules/tsx/package.json'), 'no development dependencies');
  t.regex(await image.read('/etc/debian_version'), /^12\./);
  t.true(image.paths.has('/usr/local/bin/python3.11'), 'the validator\'s CPython');
});

test('the Node runner image is runner-node/Dockerfile\'s: env, user, workdir, entrypoint, port, Node 20, the bundle and the pinned packages', async (t) => {
  const dockerfile = parseDockerfile(await readFile(`${repoRoot}runner-node/Dockerfile`, 'utf8'));
  const image = await openArchive(nodeBed().nodeRunnerArchive);
  const stage = dockerfile.final;
  for (const [name, value] of Object.entries(envOf(stage))) t.true(image.config.Env.includes(`${name}=${value}`), `ENV ${name}=${value}`);
  t.is(image.config.User, all(stage, 'USER')[0]);
  t.is(image.config.WorkingDir, all(stage, 'WORKDIR')[0]);
  t.deepEqual(image.config.Entrypoint, execForm(all(stage, 'ENTRYPOINT')[0]));
  t.deepEqual(Object.keys(image.config.ExposedPorts ?? {}), all(stage, 'EXPOSE').map((port) => `${port}/tcp`));
  for (const copy of copiesOf(stage)) t.true(image.paths.has(copy.dest.replace(/\/$/, '')), `COPY --from=${copy.from} → ${copy.dest}`);
  t.is(await image.read('/opt/runner-node/dist/main.mjs'), await readFile(`${repoRoot}runner-node/dist/main.mjs`, 'utf8'), 'the bundle is the repository\'s');
  // `npm ci --omit=dev` of the lock: every pinned package at its exact version.
  const pins = (JSON.parse(await readFile(`${repoRoot}runner-node/package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies;
  for (const [name, version] of Object.entries(pins)) {
    const installed = JSON.parse(await image.read(`/opt/runner-node/node_modules/${name}/package.json`)) as { version: string };
    t.is(installed.version, version, `${name}@${version}`);
  }
  // FROM node:20.x-bookworm-slim: Debian 12 and the same Node as this builder's.
  const from = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim$/.exec(dockerfile.final.from);
  t.truthy(from, dockerfile.final.from);
  t.is(image.config.Env.find((e) => e.startsWith('NODE_VERSION=')), `NODE_VERSION=${from?.slice(1).join('.')}`, 'the Dockerfile pins the Node this builder puts in the image');
  t.regex(await image.read('/etc/debian_version'), /^12\./);
  t.true(image.paths.has('/usr/local/bin/node'));

  const listed = await ctr(['images', 'ls', '-q']);
  t.true(listed.split('\n').includes(`docker.io/${nodeBed().nodeRunnerImage}`), 'the node has the Node runner image under its tag');
});
