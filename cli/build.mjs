// Builds the `fp` bundle: cli/src/main.ts and what it imports (contract/, the validator) into dist/fp.js,
// each command group a lazily loaded chunk under dist/chunks/ (so `fp --version` loads almost nothing),
// plus the files the bundle reads beside itself: the validator's analyzer.py (with its fp_analysis/
// modules), the TypeScript engine's worker thread and the runner that `fp dev` runs. pyodide and esbuild
// stay dependencies (pyodide loads its WebAssembly from its own package, esbuild runs its own binary);
// typescript-estree is bundled into the worker, which loads only for TypeScript projects.
import { build } from 'esbuild';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = `${here}/..`;
const dist = `${here}/dist`;

await rm(dist, { recursive: true, force: true });
const result = await build({
  // The worker's chunk sits where validation/engines/typescript.ts looks for it: beside the chunk that
  // holds the engine (dist/chunks/), as ./typescript-worker.js.
  entryPoints: { fp: `${here}/src/main.ts`, 'chunks/typescript-worker': `${root}/validation/engines/typescript-worker.ts` },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['pyodide', 'esbuild', 'bufferutil', 'utf-8-validate', 'tsx', 'tsx/*'],
  // yaml's Node entry is CommonJS, whose named exports a lazy import of the bundle would lose; its ESM
  // build (published as the browser entry) is plain JavaScript that runs in Node as well.
  alias: { yaml: createRequire(import.meta.url).resolve('yaml').replace(/dist[/\\]index\.js$/, 'browser/index.js') },
  // Bundled CommonJS (commander, ws, TypeScript's parser) calls require() and reads __filename and
  // __dirname; give the ESM bundle them.
  banner: {
    js: "import { createRequire as __fpRequire } from 'node:module'; import { fileURLToPath as __fpPath } from 'node:url'; "
      + 'const require = __fpRequire(import.meta.url); const __filename = __fpPath(import.meta.url); const __dirname = __fpPath(new URL(".", import.meta.url));',
  },
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

// The engines find analyzer.py at ../python/analyzer.py from their chunk (dist/chunks/ → dist/python/).
await mkdir(`${dist}/python/fp_analysis`, { recursive: true });
await cp(`${root}/validation/python/analyzer.py`, `${dist}/python/analyzer.py`);
await cp(`${root}/validation/python/fp_analysis`, `${dist}/python/fp_analysis`, { recursive: true, filter: (path) => !path.includes('__pycache__') });
await mkdir(`${dist}/runner`, { recursive: true });
await cp(`${root}/runner/entrypoint.py`, `${dist}/runner/entrypoint.py`);
await cp(`${root}/runner/requirements.txt`, `${dist}/runner/requirements.txt`);
await cp(`${root}/runner/_platform_runner`, `${dist}/runner/_platform_runner`, { recursive: true, filter: (path) => !path.includes('__pycache__') });

// What bin/fp.js compares with the bundle's age, relative to cli/.
const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules')).map((path) => relative(here, `${process.cwd()}/${path}`));
await writeFile(`${dist}/.inputs`, `${inputs.join('\n')}\n`);
