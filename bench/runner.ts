/**
 * bench/runner: runner cold start, from spawning the process to the first 200 on /_platform/health
 * (polled every 5 ms), over RUNS (default 20) runs each, interleaved in one run:
 * - the Python runner: the hello FastAPI app, the largest Python template and the largest FastHTML
 *   template (FastHTML imports far more than FastAPI), beside the floor, a bare
 *   `python -c "import fastapi"` from the same venv;
 * - the Node runner: the hello Hono app, the same app as plain .mjs (no compile: the difference is what
 *   esbuild costs at start) and the largest TypeScript template, beside the floor, a bare
 *   `node --input-type=module -e "await import('hono')"` with the runner's packages.
 *
 *   npm run bench:runner
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadTemplates } from '../templates/index.js';
import { repoRoot } from '../test/bed/paths.js';
import { startBed } from '../test/bed/index.js';
import { startRunner, waitHealthy } from '../test/helpers/runner.js';
import { printTable, summarize } from './stats.js';

const run = promisify(execFile);
const runs = Number(process.env.RUNS ?? 20);

const bed = await startBed(['python', 'mongo']);
Object.assign(process.env, bed.env);
const python = bed.env.FP_BED_PYTHON;
if (!python) throw new Error(bed.env.FP_BED_PYTHON_ERROR);
try {
  const templates = await loadTemplates();
  const size = (files: Record<string, string>) => Object.values(files).reduce((n, f) => n + f.length, 0);
  const bySize = [...templates].sort((a, b) => size(b.spec.files) - size(a.spec.files));
  const largest = bySize.find((tpl) => tpl.spec.language === 'python');
  const largestFastHtml = bySize.find((tpl) => tpl.spec.framework === 'fasthtml');
  const largestTypeScript = bySize.find((tpl) => tpl.spec.language === 'typescript');
  const helloHono = templates.find((tpl) => tpl.metadata.name === 'hello-hono');
  if (!largestTypeScript || !helloHono) throw new Error('no TypeScript templates');
  // The hello app as JavaScript: the same module without its (here absent) types, loaded with no compile.
  const helloMjs = { 'app.mjs': helloHono.spec.files['app.ts'] ?? '' };
  if (!largest || !largestFastHtml) throw new Error('no templates');
  const hello = templates.find((tpl) => tpl.metadata.name === 'hello-fastapi');
  if (!hello) throw new Error('no hello-fastapi template');
  const mongo = new URL(bed.env.FP_BED_MONGO_URI ?? 'mongodb://127.0.0.1/');
  mongo.pathname = '/bench_runner';

  const describe = (label: string, tpl: typeof largest) => `${label}: ${tpl.metadata.name} (${Object.keys(tpl.spec.files).length} files, ${size(tpl.spec.files)} B)`;
  const envOf = (tpl: typeof largest) => (tpl.spec.database ? { PLATFORM_MONGO_URI: mongo.toString() } : {});
  type Case = [name: string, files: Record<string, string>, env: Record<string, string>, language: 'python' | 'typescript', entrypoint: string];
  const cases: Case[] = [
    ['hello-fastapi', hello.spec.files, {}, 'python', 'app.py'],
    [describe('largest Python', largest), largest.spec.files, envOf(largest), 'python', largest.spec.entrypoint],
    [describe('largest FastHTML', largestFastHtml), largestFastHtml.spec.files, envOf(largestFastHtml), 'python', largestFastHtml.spec.entrypoint],
    ['hello-hono (TypeScript, compiled at start)', helloHono.spec.files, {}, 'typescript', 'app.ts'],
    ['hello-hono as plain .mjs (no compile)', helloMjs, {}, 'typescript', 'app.mjs'],
    [describe('largest TypeScript', largestTypeScript), largestTypeScript.spec.files, envOf(largestTypeScript), 'typescript', largestTypeScript.spec.entrypoint],
  ];
  const pythonFloor = 'floor: python -c "import fastapi"';
  const nodeFloor = 'floor: node -e "await import(\'hono\')"';
  const samples = new Map<string, number[]>([[pythonFloor, []], [nodeFloor, []], ...cases.map(([name]) => [name, []] as [string, number[]])]);
  for (let i = -2; i < runs; i++) {
    let begin = performance.now();
    await run(python, ['-c', 'import fastapi']);
    if (i >= 0) samples.get(pythonFloor)?.push(performance.now() - begin);
    begin = performance.now();
    // From runner-node/, whose node_modules holds the runner's own hono.
    await run(process.execPath, ['--input-type=module', '-e', "await import('hono')"], { cwd: join(repoRoot, 'runner-node') });
    if (i >= 0) samples.get(nodeFloor)?.push(performance.now() - begin);
    for (const [name, files, env, language, entrypoint] of cases) {
      const teardowns: (() => Promise<void>)[] = [];
      const runner = await startRunner({ teardown: (fn) => teardowns.push(fn) }, { files, env, language, entrypoint, waitHealthy: false });
      await waitHealthy(runner, 30_000, 5);
      if (i >= 0) samples.get(name)?.push(performance.now() - runner.spawnedAt);
      for (const fn of teardowns) await fn();
    }
  }
  console.log(`bench/runner: ${runs} cold starts each, ${cpus().length} cores, ${python}`);
  const rows = (language: 'python' | 'typescript', floor: string) =>
    [floor, ...cases.filter((c) => c[3] === language).map(([name]) => name)].map((name) => [name, summarize(samples.get(name) ?? [])] as [string, ReturnType<typeof summarize>]);
  printTable('Python runner: spawn → first 200 on /_platform/health', rows('python', pythonFloor), pythonFloor);
  printTable(`Node runner (Node ${process.versions.node}): spawn → first 200 on /_platform/health`, rows('typescript', nodeFloor), nodeFloor);
  const median = (name: string) => summarize(samples.get(name) ?? []).median;
  console.log(`\nhello-hono ÷ hello-fastapi: ${(median('hello-hono (TypeScript, compiled at start)') / median('hello-fastapi')).toFixed(2)}×`);
  console.log(`compiling at start (esbuild): hello-hono .ts − .mjs = ${(median('hello-hono (TypeScript, compiled at start)') - median('hello-hono as plain .mjs (no compile)')).toFixed(0)} ms median`);
} finally {
  await bed.stop();
}
