/**
 * What the API image runs, run here: scripts/build.sh compiles the API into a fresh directory, which
 * then starts as plain `node <out>/api/main.js` from another working directory, with no tsx anywhere
 * (no loader flag, and a node_modules holding only the production dependencies of package-lock.json),
 * against the bed's MongoDB and CPython 3.11. It serves health, seeds the built-in templates, finds
 * its assets next to its modules, writes nothing into its own directory, and exits 0 on SIGTERM.
 */
import test from 'ava';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdk8s';
import { MongoClient } from 'mongodb';
import { parsePlatformConfig } from '../../cluster/config.js';
import { PlatformChart } from '../../cluster/platform-chart.js';
import { freePort } from '../../scripts/lib/ports.js';
import { loadTemplates } from '../../templates/index.js';
import { repoRoot } from '../bed/paths.js';
import { signUp } from '../helpers/api.js';
import { mongoUri, uniqueName, venvPython } from '../helpers/bed.js';
import { changes, snapshotTree } from '../helpers/snapshot.js';

const run = promisify(execFile);

function chartApiImageCommands(): string[] {
  const config = parsePlatformConfig({});
  const objects = new PlatformChart(new App(), 'platform', config).toJson() as any[];
  const containers = objects.filter((o) => o.kind === 'Deployment').flatMap((d) => d.spec.template.spec.containers as any[]);
  return containers.filter((c) => c.image === config.images.api && c.command).map((c) => String(c.command[1]));
}

/** `npm ci --omit=dev`'s top-level packages, linked from the repository's node_modules. */
async function productionModules(dir: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(`${repoRoot}package-lock.json`, 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const names = Object.entries(lock.packages)
    .filter(([path, info]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !info.dev)
    .map(([path]) => path.slice('node_modules/'.length));
  for (const name of names) {
    await mkdir(dirname(join(dir, 'node_modules', name)), { recursive: true });
    await symlink(join(repoRoot, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return names;
}

test('the production build runs with production dependencies only: health, seeded templates, clean exit on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fp-build-'));
  const dbName = uniqueName('build').replace(/-/g, '_');
  t.teardown(async () => {
    const client = await MongoClient.connect(mongoUri());
    await client.db(dbName).dropDatabase().catch(() => undefined);
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  const out = join(dir, 'build');
  const build = await run('bash', [`${repoRoot}scripts/build.sh`, out], { cwd: repoRoot });
  t.regex(build.stderr, /\[build\] wrote /);
  // Unchanged inputs: the second build reuses the output.
  t.regex((await run('bash', [`${repoRoot}scripts/build.sh`, out], { cwd: repoRoot })).stderr, /is up to date/);
  t.true(existsSync(join(out, 'api/main.js')));
  // Every command the platform chart runs from the API image (the gateway's) is in the build.
  const commands = chartApiImageCommands();
  t.true(commands.length > 0, 'the chart runs the gateway from the API image');
  for (const command of commands) t.true(existsSync(join(out, command.replace(/^\/app\/build\//, ''))), command);
  t.true(existsSync(join(out, 'validation/python/analyzer.py')));
  t.true(existsSync(join(out, 'validation/python/fp_analysis/app.py')));
  t.true(existsSync(join(out, 'runner/entrypoint.py')));
  t.false(existsSync(join(out, 'api/main.ts')));
  const templates = await loadTemplates();
  t.is((await readdir(join(out, 'templates'))).filter((f) => f.endsWith('.yaml')).length, templates.length);

  const modules = await productionModules(dir);
  t.true(modules.includes('koa') && modules.includes('mongodb'));
  t.false(modules.includes('tsx'), 'tsx is a devDependency');
  // The TypeScript validator's parser (which needs the typescript package) and the Node runner's compiler.
  t.true(modules.includes('@typescript-eslint/typescript-estree') && modules.includes('typescript') && modules.includes('esbuild'));
  t.true(existsSync(join(out, 'validation/engines/typescript-worker.js')));

  const port = await freePort();
  const before = await snapshotTree(out);
  // A clean environment: no NODE_OPTIONS (so no --import=tsx), nothing of the bed's but what is passed.
  const child = spawn(process.execPath, [join(out, 'api/main.js')], {
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_OPTIONS: '', NODE_ENV: 'production', RUNTIME: 'none',
      MONGO_URI: mongoUri(), MONGO_DB: dbName, SECRET_KEY: randomBytes(32).toString('hex'), FP_PYTHON: venvPython(),
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += String(chunk); });
  child.stderr.on('data', (chunk) => { output += String(chunk); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });

  const deadline = Date.now() + 60_000;
  while (!output.includes('[api] listening on')) {
    if (child.exitCode !== null) throw new Error(`the built API exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the built API did not listen within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.false(output.includes('tsx'));
  const url = `http://127.0.0.1:${port}`;

  const health = await fetch(`${url}/api/health`);
  t.is(health.status, 200);
  const body = await health.json() as { status: string; runtime: string; validator: string; python: string };
  t.is(body.status, 'ok');
  t.is(body.runtime, 'none');
  t.regex(body.validator, /^cpython-workers/);
  t.regex(body.python, /^3\.11\./);
  t.is((await fetch(`${url}/healthz`)).status, 200);

  const user = await signUp({ url });
  const list = await user.client.get('/api/templates?scope=global');
  t.is(list.status, 200);
  t.deepEqual(list.body.templates.map((x: { id: string }) => x.id).sort(), templates.map((x) => `builtin-${x.metadata.name}`).sort());
  // Assets found next to the modules or through node_modules: the validator's analyzer, Swagger UI, the UI page.
  const validated = await user.client.post('/api/validate', { entrypoint: 'app.py', files: { 'app.py': 'import os\nos.system("id")\n' } });
  t.is(validated.status, 200, JSON.stringify(validated.body));
  t.true(JSON.stringify(validated.body).includes('os.system'));
  // The TypeScript engine from the build: its worker thread (typescript-estree), esbuild and V8.
  const script = await user.client.post('/api/validate', { entrypoint: 'app.ts', files: { 'app.ts': "import { Hono } from 'hono';\nimport { exec } from 'node:child_process';\nconst x: number = (;\n" } });
  t.is(script.status, 200, JSON.stringify(script.body));
  t.deepEqual(script.body.findings.map((f: { code: string; line: number }) => `${f.code}:${f.line}`), ['syntax-error:3']);
  const clean = await user.client.post('/api/validate', { entrypoint: 'app.ts', files: { 'app.ts': "import { Hono } from 'hono';\nexport default new Hono();\n" } });
  t.like(clean.body, { valid: true, framework: 'hono' });
  t.is((await fetch(`${url}/api/docs/assets/swagger-ui.css`)).status, 200);
  t.regex(await (await fetch(`${url}/`)).text(), /FastAPI Platform/);

  child.kill('SIGTERM');
  t.is(await exited, 0, output);
  t.deepEqual(changes(before, await snapshotTree(out)), [], 'the API wrote into its own directory');
});
