/**
 * The TypeScript engine's worker thread (started with --experimental-vm-modules): parses each file with
 * typescript-estree and collects its facts, and has V8 parse what the runner would load (esbuild's
 * output, or a .js file as written) as a strict ES module. Parsing is CPU work; here it never holds up
 * the API's event loop.
 */
import { SourceTextModule } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { collectFacts } from '../typescript/collect.js';
import { parseScript } from '../typescript/parse.js';

export interface WorkerFile {
  readonly path: string;
  readonly source: string;
  /** What the runner would hand V8; null when the compiler refused the file. */
  readonly loaded: string | null;
}

export interface WorkerResult {
  readonly path: string;
  readonly parserError: ReturnType<typeof parseScript>['error'] | null;
  readonly facts: ReturnType<typeof collectFacts> | null;
  /** V8's message when it refuses `loaded` (its position is found by the caller). */
  readonly v8Error: string | null;
}

function v8Error(code: string, path: string): string | null {
  try {
    new SourceTextModule(code, { identifier: `file:///code/${path}` });
    return null;
  } catch (error) {
    return error instanceof SyntaxError ? error.message : null;
  }
}

parentPort?.on('message', (message: { id: number; files: WorkerFile[] }) => {
  const results: WorkerResult[] = message.files.map((file) => {
    const parsed = parseScript(file.path, file.source);
    return {
      path: file.path,
      parserError: parsed.error ?? null,
      facts: parsed.program ? collectFacts(parsed.program) : null,
      v8Error: file.loaded === null ? null : v8Error(file.loaded, file.path),
    };
  });
  parentPort?.postMessage({ id: message.id, results });
});
