/**
 * The analysis engine where no CPython 3.11 exists (the `fp` CLI on a laptop): pyodide 0.25.1, which is
 * CPython 3.11.3 compiled to WebAssembly, running the same analyzer.py in-process. Newer pyodide is
 * CPython 3.12+ and accepts syntax that 3.11 rejects, so the version is pinned. Loading takes about
 * 1.5 s, once; analysis then runs on the calling thread (no time box, acceptable for a CLI).
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AnalysisEngine, FileFacts } from '../python/facts.js';
import { analyzerPath } from './python-workers.js';

interface Pyodide {
  FS: { writeFile(path: string, data: string): void; mkdirTree(path: string): void };
  runPython(code: string): unknown;
  pyimport(name: string): { analyze_batch(request: string): string };
}

export async function startPyodide(): Promise<AnalysisEngine> {
  const { loadPyodide } = (await import('pyodide')) as unknown as { loadPyodide(options?: object): Promise<Pyodide> };
  // Given explicitly: pyodide guesses its directory from a stack trace, which fails under loaders like tsx.
  const indexURL = `${dirname(createRequire(import.meta.url).resolve('pyodide'))}/`;
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  // analyzer.py and its fp_analysis/ modules, laid out as on disk.
  const root = dirname(analyzerPath);
  pyodide.FS.mkdirTree('/fp/fp_analysis');
  pyodide.FS.writeFile('/fp/analyzer.py', await readFile(analyzerPath, 'utf8'));
  for (const name of (await readdir(join(root, 'fp_analysis'))).filter((n) => n.endsWith('.py'))) {
    pyodide.FS.writeFile(`/fp/fp_analysis/${name}`, await readFile(join(root, 'fp_analysis', name), 'utf8'));
  }
  const version = String(pyodide.runPython('import sys; sys.path.insert(0, "/fp"); sys.version.split()[0]'));
  const analyzer = pyodide.pyimport('analyzer');
  let nextId = 1;
  return {
    name: 'pyodide',
    pythonVersion: version,
    async analyze(files) {
      if (files.length === 0) return [];
      const response = JSON.parse(analyzer.analyze_batch(JSON.stringify({ id: nextId++, files }))) as { results: FileFacts[] };
      return response.results;
    },
    async close() {},
  };
}
