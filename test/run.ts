/**
 * `npm test`'s last step: starts one test bed, runs ava against it (TAP, so results can be counted),
 * tears the bed down, and writes test-results/summary.json with the real pass/fail counts. Checks
 * that failed earlier in scripts/test.sh (lint, typecheck) arrive in FP_FAILED_CHECKS and count as
 * failures. Extra arguments go to ava (e.g. a test file).
 *
 * The files under test/real-node/ need the real node (test/bed/node): it is started only when one of
 * them runs, while the other files already run against the fixtures bed, and its files run in a second
 * ava process whose FP_BED_KUBE_* name the node's own control plane.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startBed } from './bed/index.js';
import { startNode } from './bed/node/index.js';
import { readBedPaths, repoRoot } from './bed/paths.js';

interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

const resultsDir = `${repoRoot}test-results`;

const nodeDir = 'test/real-node/';

async function testFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(repoRoot, dir), { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) out.push(...await testFiles(`${path}/`));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Splits ava's arguments into the fixtures bed's and the real node's: files (or folders) by where they are, flags to both. */
async function partition(args: readonly string[]): Promise<{ fixtures: string[] | null; node: string[] | null }> {
  const flags = args.filter((a) => a.startsWith('-'));
  const named = args.filter((a) => !a.startsWith('-'));
  const files = named.length === 0
    ? await testFiles('test/')
    : (await Promise.all(named.map(async (arg) => {
      const path = relative(repoRoot, resolve(arg));
      const full = join(repoRoot, path);
      if (existsSync(full) && (await stat(full)).isDirectory()) return testFiles(`${path.replace(/\/$/, '')}/`);
      return [path];
    }))).flat();
  const onNode = files.filter((f) => f.startsWith(nodeDir));
  const elsewhere = files.filter((f) => !f.startsWith(nodeDir));
  // Real pods take seconds per step: a file may go longer than the default 2 minutes between results.
  // Two files at a time on the node: its pods share the machine's two cores with the other files' tests.
  const nodeFlags = [...flags, ...(flags.some((f) => f.startsWith('--timeout')) ? [] : ['--timeout=6m']), ...(flags.some((f) => f.startsWith('--concurrency')) ? [] : ['--concurrency=2'])];
  return { fixtures: elsewhere.length > 0 ? [...flags, ...elsewhere] : null, node: onNode.length > 0 ? [...nodeFlags, ...onNode] : null };
}

function runAva(args: string[], env: Record<string, string>, summary: Summary): Promise<number> {
  const child = spawn(process.execPath, [`${repoRoot}node_modules/ava/entrypoints/cli.mjs`, '--tap', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const result = /^(not ok|ok) \d+ - (.*)$/.exec(line);
    if (!result) return;
    const [, status, title = ''] = result;
    if (/# (SKIP|TODO)\b/i.test(title)) summary.skipped += 1;
    else if (status === 'ok') summary.passed += 1;
    else {
      summary.failed += 1;
      summary.failures.push(title);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const check of (process.env.FP_FAILED_CHECKS ?? '').split(/\s+/).filter(Boolean)) {
    summary.failed += 1;
    summary.failures.push(`${check} (see its output above)`);
  }
  await mkdir(resultsDir, { recursive: true });

  const begin = performance.now();
  const groups = await partition(process.argv.slice(2));
  const bed = await startBed();
  const bedSeconds = Math.round(performance.now() - begin) / 1000;
  process.stderr.write(`[test] bed ready in ${bedSeconds}s ${JSON.stringify(bed.timings)}\n`);
  for (const [key, value] of Object.entries(bed.env)) {
    if (key.endsWith('_ERROR')) process.stderr.write(`[test] ${key}: ${value}\n`);
  }

  let avaCode: number;
  let nodeSeconds: number | null = null;
  let nodeTimings: Record<string, number> = {};
  const onNode = async (args: string[]): Promise<number> => {
    const started = performance.now();
    let node;
    try {
      node = await startNode(readBedPaths(), bed.env.FP_BED_DIR ?? '');
    } catch (error) {
      // The node's tests fail, each saying why; nothing is skipped.
      const reason = `the real node did not start: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`[test] ${reason}\n`);
      return runAva(args, { ...bed.env, FP_BED_KUBE_ERROR: reason, FP_BED_NODE_ERROR: reason, FP_BED_KUBE_SERVER: '' }, summary);
    }
    nodeSeconds = Math.round(performance.now() - started) / 1000;
    nodeTimings = node.timings;
    process.stderr.write(`[test] real node ready in ${nodeSeconds}s ${JSON.stringify(node.timings)}\n`);
    try {
      return await runAva(args, { ...bed.env, ...node.env }, summary);
    } finally {
      const stopping = performance.now();
      try {
        await node.stop();
      } catch (error) {
        // Leaving host-global state behind breaks the next run on this machine: a failure, not a warning.
        summary.failed += 1;
        summary.failures.push(error instanceof Error ? error.message : String(error));
      }
      process.stderr.write(`[test] real node stopped in ${Math.round(performance.now() - stopping) / 1000}s\n`);
    }
  };
  try {
    const codes = await Promise.all([
      groups.fixtures ? runAva(groups.fixtures, bed.env, summary) : 0,
      groups.node ? onNode(groups.node) : 0,
    ]);
    avaCode = codes.find((c) => c !== 0) ?? 0;
  } finally {
    // Keep the servers' logs with the results: they explain a failure after the bed is gone.
    await rm(`${resultsDir}/bed`, { recursive: true, force: true });
    await cp(bed.env.FP_BED_DIR ?? '', `${resultsDir}/bed`, {
      recursive: true,
      filter: async (source) => ((await stat(source)).isDirectory() ? !source.endsWith('ferretdb') : source.endsWith('.log')),
    }).catch(() => undefined);
    await bed.stop();
  }
  if (avaCode !== 0 && summary.failed === 0) {
    summary.failed += 1;
    summary.failures.push(`ava exited with code ${avaCode} without a failing test (see its output above)`);
  }
  await writeFile(`${resultsDir}/summary.json`, `${JSON.stringify({ ...summary, bedSeconds, bedTimings: bed.timings, nodeSeconds, nodeTimings }, null, 2)}\n`);
  if (summary.failures.length > 0) {
    process.stdout.write(`\nFailed:\n${summary.failures.map((f) => `  - ${f}`).join('\n')}\n`);
  }
  if (summary.skipped > 0) process.stdout.write(`${summary.skipped} skipped (not counted as passed)\n`);
  process.stdout.write(`${summary.passed} passed, ${summary.failed} failed\n`);
  return summary.failed === 0 && summary.skipped === 0 ? 0 : 1;
}

process.exitCode = await main();
