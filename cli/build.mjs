// Builds the `fp` bundle: cli/src/main.ts and what it imports (contract/, the validator) into dist/fp.js,
// each command group a lazily loaded chunk under dist/chunks/ (so `fp --version` loads almost nothing),
// plus the files the bundle reads beside itself: the validator's analyzer.py and the runner that
// `fp dev` runs. pyodide stays a dependency (it loads its WebAssembly from its own package).
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
  entryPoints: { fp: `${here}/src/main.ts` },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['pyodide', 'bufferutil', 'utf-8-validate', 'tsx', 'tsx/*'],
  // yaml's Node entry is CommonJS, whose named exports a lazy import of the bundle would lose; its ESM
  // build (published as the browser entry) is plain JavaScript that runs in Node as well.
  alias: { yaml: createRequire(import.meta.url).resolve('yaml').replace(/dist[/\\]index\.js$/, 'browser/index.js') },
  // Bundled CommonJS (commander, ws) calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __fpRequire } from 'node:module'; const require = __fpRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

// The engines find analyzer.py at ../analyzer.py from their chunk (dist/chunks/ → dist/).
await cp(`${root}/validation/analyzer.py`, `${dist}/analyzer.py`);
await mkdir(`${dist}/runner`, { recursive: true });
await cp(`${root}/runner/entrypoint.py`, `${dist}/runner/entrypoint.py`);
await cp(`${root}/runner/requirements.txt`, `${dist}/runner/requirements.txt`);
await cp(`${root}/runner/_platform_runner`, `${dist}/runner/_platform_runner`, { recursive: true, filter: (path) => !path.includes('__pycache__') });

// What bin/fp.js compares with the bundle's age, relative to cli/.
const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules')).map((path) => relative(here, `${process.cwd()}/${path}`));
await writeFile(`${dist}/.inputs`, `${inputs.join('\n')}\n`);
