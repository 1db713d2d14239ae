/**
 * The editor UI's build: Preact through Vite's own JSX transform (no Babel), Monaco's slim entry and
 * its editor worker as separate lazy chunks, output in ui/dist (served by the API, or the UI image).
 * TypeScript apps' editor support (Monaco's TypeScript worker and the Node runner's packages' type
 * declarations, `virtual:runner-types`) is one more lazy chunk, loaded only for TypeScript files.
 */
import { readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const dist = fileURLToPath(new URL('dist/', import.meta.url));

/** Writes a .gz beside every text asset, served by the API when the browser accepts gzip. */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    async closeBundle() {
      const squeeze = promisify(gzip);
      const walk = async (dir: string): Promise<string[]> => (await readdir(dir, { withFileTypes: true }))
        .flatMap((e) => (e.isDirectory() ? [] : [join(dir, e.name)]))
        .concat(...(await Promise.all((await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => walk(join(dir, e.name))))));
      for (const file of (await walk(dist)).filter((f) => /\.(js|css|html|svg|ttf|json)$/.test(f))) {
        await writeFile(`${file}.gz`, await squeeze(await readFile(file), { level: 9 }));
      }
    },
  };
}

/** The packages a TypeScript app imports (runner-node/package.json) and the ones their types import. */
const typedPackages = [
  'hono', 'zod', '@hono/zod-openapi', '@hono/zod-validator', '@hono/swagger-ui', 'mongodb', 'bson',
  '@asteasolutions/zod-to-openapi', 'openapi3-ts', 'mongodb-connection-string-url', '@types/whatwg-url', '@types/webidl-conversions',
];

/**
 * `virtual:runner-types`: every package.json and declaration file of those packages, exactly the
 * versions the Node runner installs (runner-node/node_modules, made by scripts/setup.sh noderunner), as
 * `file:///node_modules/<package>/<path>` → text for Monaco's TypeScript worker.
 */
function runnerTypes(): Plugin {
  const id = 'virtual:runner-types';
  return {
    name: 'runner-types',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    async load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const modules = await realpath(fileURLToPath(new URL('../runner-node/node_modules/', import.meta.url)));
      const files: Record<string, string> = {};
      const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) await walk(path);
          else if (entry.name === 'package.json' || /\.d\.(c|m)?ts$/.test(entry.name)) files[`file:///node_modules/${relative(modules, path)}`] = await readFile(path, 'utf8');
        }
      };
      for (const name of typedPackages) await walk(join(modules, name));
      return `export default ${JSON.stringify(files)};`;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // Monaco (lazy, loaded only by the editor) is one ~4 MB chunk by design; TypeScript's language
    // service (monaco-typescript.ts, ~1.8 MB with the runner's types, and its ~7 MB worker) is another,
    // loaded only for TypeScript files.
    // Monaco's core is shared by both lazy entries, so it is split into chunks both import (the same
    // bytes for Python apps, in three files instead of one); naming them by hand pulled Vite's preload
    // helper, and so all of Monaco, into the initial page.
    chunkSizeWarningLimit: 7500,
  },
  plugins: [runnerTypes(), precompress()],
  worker: { format: 'es' },
});
