/**
 * The engine for TypeScript and JavaScript files, as the Node runner loads them (runner-node/src/compile.ts,
 * shared): esbuild (the runner's exact version) compiles each .ts/.tsx/.mts/.jsx file; a worker thread
 * parses every file with typescript-estree for its facts and has V8 parse what would be loaded; a file V8
 * refuses is located with `node --check` and mapped back through esbuild's source map. Verdicts, in the
 * order the runner meets them: esbuild's, then V8's, then (what both let through, such as an octal
 * literal TypeScript refuses) the parser's. Each batch is time-boxed;
 * a worker that overruns is replaced and only the culprit fails.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { esbuildProblem, needsCompile, transformOptions, v8Problem, type CompileProblem } from '../../runner-node/src/compile.js';
import type * as EsbuildModule from 'esbuild';
import type { ScriptEngine, ScriptFacts, ScriptFile } from '../typescript/facts.js';
import type { WorkerFile, WorkerResult } from './typescript-worker.js';

type Esbuild = typeof EsbuildModule;

export interface ScriptEngineOptions {
  /** The Node that runs apps (V8 positions come from its `node --check`). @default process.execPath */
  readonly node?: string;
  /** Longest a batch may take before its worker is replaced. @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * The worker's module. Run from TypeScript sources (development, tests), it is started through tsx's
 * API: loaders are per thread, and Node 20 does not apply a worker's `--import` to its entry module.
 */
function workerSource(): { code: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: new URL('./typescript-worker.js', import.meta.url), eval: false };
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./typescript-worker.ts', import.meta.url).href);
  return { code: `const { register } = await import(${tsx});\nregister();\nawait import(${entry});\n`, eval: true };
}

class ParserWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(results: WorkerResult[]): void; reject(error: Error): void }>();
  dead = false;

  constructor() {
    // The parent's flags, plus the one SourceTextModule needs.
    const source = workerSource();
    this.worker = new Worker(source.code, { eval: source.eval, execArgv: [...process.execArgv, '--experimental-vm-modules', '--no-warnings'] });
    this.worker.unref();
    this.worker.on('message', (message: { id: number; results: WorkerResult[] }) => {
      this.pending.get(message.id)?.resolve(message.results);
      this.pending.delete(message.id);
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the parser worker exited (${code})`)));
  }

  run(files: WorkerFile[], timeoutMs: number): Promise<WorkerResult[]> {
    const id = this.nextId++;
    return new Promise<WorkerResult[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        void this.stop();
        reject(Object.assign(new Error(`Analysing the file took longer than ${timeoutMs} ms; simplify or split it.`), { timeout: true }));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (results) => { clearTimeout(timer); resolve(results); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
      this.worker.postMessage({ id, files });
    });
  }

  async stop(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

function versionOf(name: string): string {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The engine starts on first use (or `warm()`): a validator that only ever sees Python, such as the CLI on
 * a Python project, never loads TypeScript's parser or esbuild.
 */
export async function startScriptEngine(options: ScriptEngineOptions = {}): Promise<ScriptEngine> {
  const node = options.node ?? process.execPath;
  const timeoutMs = options.timeoutMs ?? 5000;
  let loading: Promise<Esbuild> | undefined;
  let worker: ParserWorker | undefined;
  let warm: Promise<unknown> | undefined;
  let esbuild: Esbuild | undefined;
  const start = (): Promise<unknown> => {
    if (!warm) {
      loading = import('esbuild');
      loading.catch(() => undefined);
      worker = new ParserWorker();
      // TypeScript's parser loads once, before the first batch's time box starts.
      warm = Promise.all([loading, worker.run([{ path: 'warm.ts', source: 'export {};', loaded: null }], 60_000)]).catch(() => undefined);
    }
    return warm;
  };

  async function compile(file: ScriptFile): Promise<{ loaded: string | null; map: string | null; problem: CompileProblem | null }> {
    if (!needsCompile(file.path)) return { loaded: file.source, map: null, problem: null };
    await start();
    esbuild ??= await (loading as Promise<Esbuild>);
    try {
      const result = await esbuild.transform(file.source, transformOptions(file.path, `/code/${file.path}`, 'external'));
      return { loaded: result.code, map: result.map || null, problem: null };
    } catch (error) {
      const first = (error as { errors?: Parameters<typeof esbuildProblem>[0][] }).errors?.[0];
      if (!first) throw error;
      return { loaded: null, map: null, problem: esbuildProblem(first) };
    }
  }

  async function parseAll(files: WorkerFile[]): Promise<(WorkerResult | { failure: ScriptFacts['failure'] })[]> {
    await start();
    if (!worker || worker.dead) worker = new ParserWorker();
    try {
      return await worker.run(files, timeoutMs);
    } catch (error) {
      const timedOut = (error as { timeout?: boolean }).timeout === true;
      if (files.length > 1) {
        // Find the culprit: one file at a time, each with its own time box.
        const each: (WorkerResult | { failure: ScriptFacts['failure'] })[] = [];
        for (const file of files) each.push(...(await parseAll([file])));
        return each;
      }
      return [{ failure: { code: timedOut ? 'analysis-timeout' : 'analysis-failed', message: timedOut ? (error as Error).message : `Analysis failed: ${(error as Error).message}.` } }];
    }
  }

  return {
    name: 'typescript-estree',
    version: `typescript-estree ${versionOf('@typescript-eslint/typescript-estree')}, esbuild ${versionOf('esbuild')}, Node ${process.versions.node}`,
    async warm() {
      await start();
    },
    async analyze(files) {
      if (files.length === 0) return [];
      const compiled = await Promise.all(files.map(compile));
      const parsed = await parseAll(files.map((file, i) => ({ path: file.path, source: file.source, loaded: compiled[i]?.loaded ?? null })));
      return Promise.all(files.map(async (file, i): Promise<ScriptFacts> => {
        const empty = { path: file.path, imports: [], references: [], defaultExport: null, appBindings: [] };
        const result = parsed[i];
        const compiledFile = compiled[i];
        if (!result || 'failure' in result) return { ...empty, error: null, ...(result?.failure ? { failure: result.failure } : {}) };
        if (compiledFile?.problem) return { ...empty, error: { ...compiledFile.problem, by: 'compiler' } };
        if (result.v8Error && compiledFile?.loaded) {
          const located = await v8Problem(node, compiledFile.loaded, compiledFile.map);
          return { ...empty, error: { ...(located ?? { line: null, column: null, endLine: null, endColumn: null }), message: result.v8Error, by: 'engine' } };
        }
        if (result.parserError) return { ...empty, error: { ...result.parserError, by: 'parser' } };
        return { ...empty, ...(result.facts ?? {}), error: null };
      }));
    },
    async close() {
      await worker?.stop();
      if (esbuild) await esbuild.stop();
    },
  };
}
