/**
 * bench/runner: runner cold start, from spawning the process to the first 200 on /_platform/health
 * (polled every 5 ms), over RUNS (default 20) runs each, for the hello FastAPI app, the largest built-in
 * template and the largest FastHTML template (FastHTML imports far more than FastAPI), beside the
 * floor: a bare `python -c "import fastapi"` from the same venv.
 *
 *   npm run bench:runner
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { loadTemplates } from '../templates/index.js';
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
  const largest = bySize[0];
  const largestFastHtml = bySize.find((tpl) => tpl.spec.framework === 'fasthtml');
  if (!largest || !largestFastHtml) throw new Error('no templates');
  const hello = templates.find((tpl) => tpl.metadata.name === 'hello-fastapi');
  if (!hello) throw new Error('no hello-fastapi template');
  const mongo = new URL(bed.env.FP_BED_MONGO_URI ?? 'mongodb://127.0.0.1/');
  mongo.pathname = '/bench_runner';

  const describe = (label: string, tpl: typeof largest) => `${label}: ${tpl.metadata.name} (${Object.keys(tpl.spec.files).length} files, ${size(tpl.spec.files)} B)`;
  const envOf = (tpl: typeof largest) => (tpl.spec.database ? { PLATFORM_MONGO_URI: mongo.toString() } : {});
  const cases: [string, Record<string, string>, Record<string, string>][] = [
    ['hello-fastapi', hello.spec.files, {}],
    [describe('largest', largest), largest.spec.files, envOf(largest)],
    [describe('largest FastHTML', largestFastHtml), largestFastHtml.spec.files, envOf(largestFastHtml)],
  ];
  const samples = new Map<string, number[]>([['floor: python -c "import fastapi"', []], ...cases.map(([name]) => [name, []] as [string, number[]])]);
  for (let i = -2; i < runs; i++) {
    const begin = performance.now();
    await run(python, ['-c', 'import fastapi']);
    if (i >= 0) samples.get('floor: python -c "import fastapi"')?.push(performance.now() - begin);
    for (const [name, files, env] of cases) {
      const teardowns: (() => Promise<void>)[] = [];
      const runner = await startRunner({ teardown: (fn) => teardowns.push(fn) }, { files, env, waitHealthy: false });
      await waitHealthy(runner, 30_000, 5);
      if (i >= 0) samples.get(name)?.push(performance.now() - runner.spawnedAt);
      for (const fn of teardowns) await fn();
    }
  }
  console.log(`bench/runner: ${runs} cold starts each, ${cpus().length} cores, ${python}`);
  printTable('spawn → first 200 on /_platform/health', [...samples.entries()].map(([name, s]) => [name, summarize(s)]), 'floor: python -c "import fastapi"');
} finally {
  await bed.stop();
}
