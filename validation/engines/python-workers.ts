/**
 * The analysis engine for servers: long-lived CPython 3.11 workers (two by default, one per core)
 * running validation/python/analyzer.py, talking JSON lines over stdin/stdout. A project's files are split
 * across the workers by size. Every request is time-boxed: a worker that overruns or dies is killed
 * and replaced, and the files of its batch are retried one by one so only the culprit fails.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AnalysisEngine, EngineFile, FileFacts } from '../python/facts.js';

export const analyzerPath = fileURLToPath(new URL('../python/analyzer.py', import.meta.url));

export interface PythonWorkersOptions {
  /** The CPython 3.11 executable. */
  readonly python: string;
  /** @default 2 */
  readonly workers?: number;
  /** Longest a batch may take before its worker is replaced. @default 5000 */
  readonly timeoutMs?: number;
}

class WorkerFailure extends Error {
  constructor(readonly code: 'analysis-timeout' | 'analysis-failed', message: string) {
    super(message);
  }
}

interface Pending {
  resolve(facts: FileFacts[]): void;
  reject(error: WorkerFailure): void;
  timer: NodeJS.Timeout;
}

class Worker {
  readonly ready: Promise<string>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private stderr = '';
  dead = false;
  /** Bytes queued on this worker, to balance new work. */
  load = 0;

  constructor(python: string, private readonly timeoutMs: number) {
    // -I: ignore PYTHON* variables and user site; -S: skip site (the analyzer needs only the stdlib);
    // -B: write no bytecode for its fp_analysis modules (-I ignores PYTHONDONTWRITEBYTECODE).
    this.child = spawn(python, ['-I', '-S', '-B', analyzerPath], { stdio: ['pipe', 'pipe', 'pipe'], env: { PYTHONDONTWRITEBYTECODE: '1' } });
    this.child.stderr.on('data', (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString()).slice(-2000); });
    let announce: (version: string) => void = () => {};
    let refuse: (error: Error) => void = () => {};
    this.ready = new Promise<string>((resolve, reject) => { announce = resolve; refuse = reject; });
    // Replacement workers are not awaited; their start-up failure surfaces through analyze() instead.
    this.ready.catch(() => undefined);
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (line) => {
      let message: { ready?: boolean; version?: string; id?: number; results?: FileFacts[]; fatal?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.ready) return announce(message.version ?? 'unknown');
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id ?? 0);
      clearTimeout(waiting.timer);
      if (message.fatal) waiting.reject(new WorkerFailure('analysis-failed', `The analyzer failed: ${message.fatal}`));
      else waiting.resolve(message.results ?? []);
    });
    this.child.on('error', (error) => { refuse(error); this.fail(`could not start ${python}: ${error.message}`); });
    // A write can still be in flight when the process dies (killed for overrunning its time box, or
    // crashed): the pipe then fails with EPIPE, which must fail the batch, not the host process.
    this.child.stdin.on('error', (error) => this.fail(`the analyzer's input closed (${error.message})`));
    this.child.on('exit', (code, signal) => {
      refuse(new Error(`${python} exited (${signal ?? code}) before it was ready: ${this.stderr}`));
      this.fail(`the analyzer process exited (${signal ?? code})`);
    });
  }

  private fail(reason: string): void {
    this.dead = true;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new WorkerFailure('analysis-failed', `Analysis failed: ${reason}.`));
      this.pending.delete(id);
    }
  }

  /** Runs one batch after the ones before it, so its time box covers only its own work. */
  analyze(files: readonly EngineFile[]): Promise<FileFacts[]> {
    const bytes = files.reduce((n, f) => n + f.source.length, 0);
    this.load += bytes;
    const run = async (): Promise<FileFacts[]> => {
      if (this.dead) throw new WorkerFailure('analysis-failed', 'Analysis failed: the analyzer process is gone.');
      // A replacement worker may still be starting: its start-up is not the file's time.
      await this.ready.catch((error: unknown) => { throw new WorkerFailure('analysis-failed', `Analysis failed: ${String(error)}`); });
      const id = this.nextId++;
      return new Promise<FileFacts[]>((resolve, reject) => {
        // When our own event loop was stalled past the time box (a busy host), the answer may already be
        // waiting in the pipe: let I/O run once (setImmediate comes after the poll phase) before giving up.
        const timer = setTimeout(() => setImmediate(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          this.stop();
          reject(new WorkerFailure('analysis-timeout', `Analysing the file took longer than ${this.timeoutMs} ms; simplify or split it.`));
        }), this.timeoutMs);
        this.pending.set(id, { resolve, reject, timer });
        this.child.stdin.write(`${JSON.stringify({ id, files })}\n`);
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result.finally(() => { this.load -= bytes; });
  }

  stop(): void {
    this.dead = true;
    this.child.kill('SIGKILL');
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
}

function failed(files: readonly EngineFile[], error: WorkerFailure): FileFacts[] {
  return files.map((f) => ({
    path: f.path, error: null, imports: [], references: [], app: null, appCandidates: [], astUsed: false,
    failure: { code: error.code, message: error.message },
  }));
}

/** Splits files into at most `n` batches of similar total size (largest first). */
function balance(files: readonly EngineFile[], n: number): EngineFile[][] {
  const batches: { bytes: number; files: EngineFile[] }[] = Array.from({ length: Math.min(n, files.length) }, () => ({ bytes: 0, files: [] }));
  for (const file of [...files].sort((a, b) => b.source.length - a.source.length)) {
    const lightest = batches.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.files.push(file);
    lightest.bytes += file.source.length;
  }
  return batches.map((b) => b.files);
}

export interface PythonWorkersEngine extends AnalysisEngine {
  /** The analyzer processes' pids (for operators and tests). */
  pids(): number[];
}

export async function startPythonWorkers(options: PythonWorkersOptions): Promise<PythonWorkersEngine> {
  const size = options.workers ?? 2;
  const timeoutMs = options.timeoutMs ?? 5000;
  const workers: Worker[] = Array.from({ length: size }, () => new Worker(options.python, timeoutMs));
  const versions = await Promise.all(workers.map((w) => w.ready));
  const version = versions[0] ?? 'unknown';
  if (!version.startsWith('3.11.')) {
    workers.forEach((w) => w.stop());
    throw new Error(`${options.python} is CPython ${version}; the validator needs CPython 3.11, the runner's version`);
  }

  const worker = (): Worker => {
    for (let i = 0; i < workers.length; i++) {
      if (workers[i]?.dead) workers[i] = new Worker(options.python, timeoutMs);
    }
    return workers.reduce((a, b) => (b.load < a.load ? b : a));
  };

  async function run(batch: readonly EngineFile[]): Promise<FileFacts[]> {
    try {
      return await worker().analyze(batch);
    } catch (error) {
      if (!(error instanceof WorkerFailure)) throw error;
      if (batch.length === 1) return failed(batch, error);
      // One file broke the batch: retry each alone so only that one fails.
      return (await Promise.all(batch.map((file) => run([file])))).flat();
    }
  }

  return {
    name: `cpython-workers(${size})`,
    pythonVersion: version,
    async analyze(files) {
      if (files.length === 0) return [];
      const batches = balance(files, size);
      const results = (await Promise.all(batches.map(run))).flat();
      const byPath = new Map(results.map((r) => [r.path, r]));
      return files.map((f) => byPath.get(f.path) ?? failed([f], new WorkerFailure('analysis-failed', 'Analysis returned no result.'))[0] as FileFacts);
    },
    async close() {
      workers.forEach((w) => w.stop());
    },
    pids: () => workers.filter((w) => !w.dead && w.pid !== undefined).map((w) => w.pid as number),
  };
}
