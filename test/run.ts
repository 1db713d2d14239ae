/**
 * `npm test`'s last step: starts one test bed, runs ava against it (TAP, so results can be counted),
 * tears the bed down, and writes test-results/summary.json with the real pass/fail counts. Checks
 * that failed earlier in scripts/test.sh (lint, typecheck) arrive in FP_FAILED_CHECKS and count as
 * failures. Extra arguments go to ava (e.g. a test file).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { startBed } from './bed/index.js';
import { repoRoot } from './bed/paths.js';

interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

const resultsDir = `${repoRoot}test-results`;

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
  const bed = await startBed();
  const bedSeconds = Math.round(performance.now() - begin) / 1000;
  process.stderr.write(`[test] bed ready in ${bedSeconds}s ${JSON.stringify(bed.timings)}\n`);
  for (const [key, value] of Object.entries(bed.env)) {
    if (key.endsWith('_ERROR')) process.stderr.write(`[test] ${key}: ${value}\n`);
  }

  let avaCode: number;
  try {
    avaCode = await runAva(process.argv.slice(2), bed.env, summary);
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
  await writeFile(`${resultsDir}/summary.json`, `${JSON.stringify({ ...summary, bedSeconds, bedTimings: bed.timings }, null, 2)}\n`);
  if (summary.failures.length > 0) {
    process.stdout.write(`\nFailed:\n${summary.failures.map((f) => `  - ${f}`).join('\n')}\n`);
  }
  if (summary.skipped > 0) process.stdout.write(`${summary.skipped} skipped (not counted as passed)\n`);
  process.stdout.write(`${summary.passed} passed, ${summary.failed} failed\n`);
  return summary.failed === 0 && summary.skipped === 0 ? 0 : 1;
}

process.exitCode = await main();
