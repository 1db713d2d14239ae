/**
 * fp as a package: `npm pack --workspace cli` makes a tarball that `npm install -g` installs into an
 * empty prefix; the installed `fp` starts, validates a project with its own copy of the validator's
 * analyzer, and finds its own copy of the runner for `fp dev` (no file of this repository is used).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../bed/paths.js';
import { venvPython } from '../helpers/bed.js';

const run = promisify(execFile);

test('after npm install, npx fp works from the repository', async (t) => {
  const { stdout } = await run('npx', ['--no-install', 'fp', '--version'], { cwd: repoRoot });
  t.is(stdout.trim(), '0.1.0');
});

test('the packed tarball installs with npm install -g, and the installed fp validates a project', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'fp-pack-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  // --ignore-scripts: pack the bundle `npm test` built, rather than rebuilding cli/dist under the feet of
  // the other test files' fp processes (a person's `npm pack` runs the build first).
  const packed = await run('npm', ['pack', '--workspace', 'cli', '--ignore-scripts', '--pack-destination', work, '--json'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  t.truthy(info);
  const paths = info?.files.map((f) => f.path) ?? [];
  for (const wanted of ['bin/fp.js', 'dist/fp.js', 'dist/python/analyzer.py', 'dist/python/fp_analysis/__init__.py', 'dist/chunks/typescript-worker.js', 'dist/runner/entrypoint.py', 'dist/runner/requirements.txt']) t.true(paths.includes(wanted), wanted);
  t.false(paths.some((p) => p.startsWith('src/')), 'no TypeScript sources in the package');

  const prefix = join(work, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, info?.filename ?? '')], { maxBuffer: 16 * 1024 * 1024 });
  const fp = join(prefix, 'bin', 'fp');
  const home = join(work, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, FP_PYTHON: venvPython(), NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  t.is((await run(fp, ['--version'], { env })).stdout.trim(), '0.1.0');
  await run(fp, ['init', join(work, 'proj')], { env });
  const validated = await run(fp, ['validate', '--json'], { env, cwd: join(work, 'proj') });
  t.like(JSON.parse(validated.stdout), { valid: true, framework: 'fastapi', engine: 'cpython-workers(1)' });
  const failed = await run(fp, ['dev', '--python', '/usr/bin/python3'], { env, cwd: join(work, 'proj') }).then(() => null, (e: { stderr: string }) => e.stderr);
  t.true(failed?.includes(join(prefix, 'lib', 'node_modules', '@fastapi-platform', 'cli', 'dist', 'runner', 'requirements.txt')), `the installed runner is named: ${failed}`);

  // A TypeScript project: the bundled parser worker and the installed esbuild check it, off the repository.
  await run(fp, ['init', join(work, 'hono'), '--framework', 'hono'], { env });
  const script = await run(fp, ['validate', '--json'], { env, cwd: join(work, 'hono') });
  t.like(JSON.parse(script.stdout), { valid: true, framework: 'hono' });
  await writeFile(join(work, 'hono', 'app.ts'), "import { Hono } from 'hono';\nconst app = new Hono(\nexport default app;\n");
  const broken = await run(fp, ['validate', '--json'], { env, cwd: join(work, 'hono') }).then((r) => r.stdout, (e: { stdout: string }) => e.stdout);
  t.true((JSON.parse(broken) as { findings: { file: string; line: number; severity: string }[] }).findings.some((f) => f.file === 'app.ts' && f.line === 3 && f.severity === 'error'), broken);
});
