/**
 * The cdk8s CLI as the README and cdk8s.yaml promise it: `npx cdk8s synth` (the pinned devDependency,
 * no global install, no network: the upgrade check is off) writes the same manifests as `npm run synth`
 * for the same config, and `npx cdk8s import` regenerates exactly the committed Traefik class.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../bed/paths.js';

const run = promisify(execFile);
const offline = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-cdk8s-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('`npx cdk8s synth` writes what `npm run synth` writes, for the same PLATFORM_CONFIG', async (t) => {
  const dir = await tempDir(t);
  const config = join(dir, 'platform.yaml');
  await writeFile(config, 'baseDomain: platform.example.com\nappDomain: apps.example.net\nui:\n  replicas: 3\n');
  const env = { ...offline, PLATFORM_CONFIG: config };
  const cli = await run('npx', ['cdk8s', 'synth', '--output', join(dir, 'cli')], { cwd: repoRoot, env });
  t.regex(cli.stdout, /platform\.k8s\.yaml/);
  await run('npm', ['run', '--silent', 'synth'], { cwd: repoRoot, env: { ...env, CDK8S_OUTDIR: join(dir, 'npm') } });
  const [fromCli, fromNpm] = await Promise.all([readFile(join(dir, 'cli/platform.k8s.yaml'), 'utf8'), readFile(join(dir, 'npm/platform.k8s.yaml'), 'utf8')]);
  t.is(fromCli, fromNpm);
  t.true(fromCli.includes('Host(`platform.example.com`)'));
  t.regex(fromCli, /replicas: 3/);
});

test('`npx cdk8s synth` fails with the bad path when the config is wrong', async (t) => {
  const dir = await tempDir(t);
  const config = join(dir, 'platform.yaml');
  await writeFile(config, 'baseDomain: Not A Domain\n');
  const error = await t.throwsAsync(run('npx', ['cdk8s', 'synth', '--output', join(dir, 'out')], { cwd: repoRoot, env: { ...offline, PLATFORM_CONFIG: config } }));
  t.regex(String((error as { stderr?: string } | undefined)?.stderr), /baseDomain: a lower-case DNS name/);
});

test('`npx cdk8s import` regenerates exactly the committed constructs/imports/traefik.io.ts', async (t) => {
  const dir = await tempDir(t);
  await run('npx', ['cdk8s', 'import', '--output', dir], { cwd: repoRoot, env: offline });
  const [fresh, committed] = await Promise.all([
    readFile(join(dir, 'traefik.io.ts'), 'utf8'),
    readFile(join(repoRoot, 'constructs/imports/traefik.io.ts'), 'utf8'),
  ]);
  t.is(fresh, committed);
});
