/**
 * bench/cli: wall time of `fp --version` (process start dominates; target ≤ 300 ms) and `fp list`
 * (start + one authenticated request to a platform with 25 apps), RUNS (default 20) runs each, side by
 * side with `node -e 0`, the floor any Node CLI pays. fp runs from its bundle (cli/dist), as installed.
 *
 *   npm run bench:cli
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startBed } from '../test/bed/index.js';
import { startApi, signUp } from '../test/helpers/api.js';
import { fpBin } from '../test/helpers/cli.js';
import { printTable, summarize } from './stats.js';

const run = promisify(execFile);
const runs = Number(process.env.RUNS ?? 20);

await run('npm', ['run', 'build', '--workspace', 'cli', '--silent']);
const bed = await startBed(['mongo', 'python']);
Object.assign(process.env, bed.env);
const teardowns: (() => Promise<void> | void)[] = [];
const home = await mkdtemp(join(tmpdir(), 'fp-bench-'));
try {
  const api = await startApi({ log: () => undefined, teardown: (fn) => { teardowns.push(fn); } });
  const user = await signUp(api);
  for (let i = 0; i < 25; i++) await user.client.post('/api/apps', { name: `bench ${i}`, templateId: 'builtin-hello-fastapi' });
  const token = (await user.client.post('/api/auth/tokens', { name: 'bench' })).body.token as string;
  const env = { ...process.env, HOME: home, FP_URL: api.url, FP_TOKEN: token };

  const time = async (file: string, args: string[]) => {
    const begin = performance.now();
    await run(file, args, { env });
    return performance.now() - begin;
  };
  const listed = (await run(process.execPath, [fpBin, 'list', '--json'], { env })).stdout;
  if ((JSON.parse(listed) as { apps: unknown[] }).apps.length !== 25) throw new Error(`fp list did not list the 25 apps: ${listed.slice(0, 200)}`);
  const variants: [string, string, string[]][] = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['fp --version', process.execPath, [fpBin, '--version']],
    ['fp list (25 apps)', process.execPath, [fpBin, 'list']],
  ];
  // Round-robin, after one warm-up each: a busy neighbour on the shared cores slows all variants alike.
  for (const [, file, args] of variants) await time(file, args);
  const samples = variants.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [index, [, file, args]] of variants.entries()) samples[index]?.push(await time(file, args));
  }
  printTable(`fp wall time (${runs} runs each, round-robin, Node ${process.version})`,
    variants.map(([name], index) => [name, summarize(samples[index] ?? [])]), 'node -e 0');
} finally {
  for (const fn of teardowns.reverse()) await fn();
  await rm(home, { recursive: true, force: true });
  await bed.stop();
}
