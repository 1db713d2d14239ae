/**
 * The validator in Node (API and CLI): for Python, CPython 3.11 workers when a python3.11 is available
 * (FP_PYTHON, or python3.11 on PATH), else pyodide's CPython 3.11.3; for TypeScript, typescript-estree in a
 * worker thread with the Node runner's esbuild and this Node's V8. Hashes file contents with SHA-1 for the cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { startPyodide } from './engines/pyodide.js';
import { startPythonWorkers } from './engines/python-workers.js';
import { startScriptEngine } from './engines/typescript.js';
import { createValidator, type Validator } from './validator.js';

export { startPythonWorkers, analyzerPath } from './engines/python-workers.js';
export { startPyodide } from './engines/pyodide.js';
export { startScriptEngine } from './engines/typescript.js';
export * from './index.js';

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export interface NodeValidatorOptions {
  /** A CPython 3.11 executable; null forces pyodide. @default process.env.FP_PYTHON ?? 'python3.11' */
  readonly python?: string | null;
  /** @default 2 */
  readonly workers?: number;
  readonly timeoutMs?: number;
}

/** The absolute path of `python` if it is CPython 3.11 (resolving shims such as pyenv's), else undefined. */
export function resolvePython311(python: string): string | undefined {
  const result = spawnSync(python, ['-c', 'import sys; print(sys.version_info[:2] == (3, 11), sys.executable)'], { encoding: 'utf8' });
  const [ok, executable] = result.status === 0 ? result.stdout.trim().split(' ') : [];
  return ok === 'True' && executable ? executable : undefined;
}

export async function createNodeValidator(options: NodeValidatorOptions = {}): Promise<Validator> {
  const requested = options.python === undefined ? (process.env.FP_PYTHON ?? 'python3.11') : options.python;
  const python = requested ? resolvePython311(requested) : undefined;
  const [engine, scripts] = await Promise.all([
    python
      ? startPythonWorkers({ python, ...(options.workers ? { workers: options.workers } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) })
      : startPyodide(),
    startScriptEngine(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  ]);
  return createValidator({ engine, scripts, hash: sha1 });
}
