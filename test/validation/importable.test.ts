/**
 * One module for the API, the UI and the CLI: its core (validation/index.ts and what it imports) uses
 * no Node API and nothing of the API, so the UI can bundle it; and a bare Node process with no CPython
 * (the CLI on a laptop) validates through pyodide without loading any of the API.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../bed/paths.js';

const run = promisify(execFile);

async function importsOf(file: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = await readFile(file, 'utf8');
  for (const [, specifier] of text.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
    if (specifier?.startsWith('.')) await importsOf(normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts'))), seen);
    else seen.add(`pkg:${specifier}`);
  }
  return seen;
}

test('the validator core imports no Node API and nothing of the API or UI', async (t) => {
  const all = [...(await importsOf(join(repoRoot, 'validation/index.ts')))];
  t.true(all.some((f) => f.endsWith('validator.ts')));
  t.deepEqual(all.filter((f) => f.startsWith('pkg:')), []);
  t.deepEqual(all.filter((f) => !f.startsWith(join(repoRoot, 'validation/'))), []);
});

test('the Node entry adds only Node built-ins, pyodide and the TypeScript engine\'s parser and compiler: nothing of the API', async (t) => {
  const all = [...(await importsOf(join(repoRoot, 'validation/node.ts')))];
  const packages = all.filter((f) => f.startsWith('pkg:')).map((f) => f.slice(4));
  const engines = ['pyodide', 'esbuild', '@typescript-eslint/typescript-estree'];
  t.true(packages.every((p) => p.startsWith('node:') || engines.includes(p)), packages.join(', '));
  // The one file outside validation/: how the Node runner compiles, so the verdicts are the runner's.
  t.deepEqual(all.filter((f) => !f.startsWith('pkg:') && !f.startsWith(join(repoRoot, 'validation/'))), [join(repoRoot, 'runner-node/src/compile.ts')]);
});

test('a bare Node process without CPython on PATH validates through pyodide', async (t) => {
  const script = `
    const { createNodeValidator } = await import('./validation/node.ts');
    const v = await createNodeValidator({ python: null });
    const r = await v.validate({ entrypoint: 'app.py', files: { 'app.py': 'from fastapi import FastAPI\\napp = FastAPI(\\n' } });
    console.log(JSON.stringify({ engine: v.engine.name, version: v.engine.pythonVersion, findings: r.findings.map((f) => f.code + ':' + f.line) }));
    await v.close();`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    env: { PATH: '/nonexistent', HOME: process.env.HOME ?? '/tmp' },
    timeout: 60_000,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { engine: string; version: string; findings: string[] };
  t.is(result.engine, 'pyodide');
  t.is(result.version, '3.11.3');
  t.deepEqual(result.findings, ['syntax-error:2']);
});
