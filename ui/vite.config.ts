/**
 * The editor UI's build: Preact through Vite's own JSX transform (no Babel), Monaco's slim entry and
 * its editor worker as separate lazy chunks, output in ui/dist (served by the API, or the UI image).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
    // Monaco (lazy, loaded only by the editor) is one ~4 MB chunk by design.
    chunkSizeWarningLimit: 4500,
  },
  plugins: [precompress()],
  worker: { format: 'es' },
});
