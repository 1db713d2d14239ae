/**
 * One runner process: runner/entrypoint.py from the runner venv, bound to 127.0.0.1 on a port the
 * kernel picks for it (PORT=0; the runner reports it on its `listening` line, so no other process can
 * hold it), with a scrubbed environment (the app's env vars and the runner's contract, never the
 * platform's secrets), its own scratch directory as /tmp, and its output split into lines. The runner's
 * structured stderr lines (`{"fp": …}`, runner/CONTRACT.md) are parsed for the supervisor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { readableRunnerLines } from '../runner-lines.js';

export interface StartFailure {
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
}

export interface InstanceOptions {
  readonly python: string;
  readonly runnerPath: string;
  readonly codeDir: string;
  readonly entrypoint: string;
  readonly scratchDir: string;
  readonly appId: string;
  readonly env: Readonly<Record<string, string>>;
  readonly onLine: (stream: 'stdout' | 'stderr', text: string) => void;
  readonly onEvent: (event: Record<string, unknown>) => void;
}

export class RunnerInstance {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private stopping = false;
  private failure: StartFailure | undefined;
  private boundPort: number | null = null;
  private readonly listening: Promise<void>;
  private heard: () => void = () => {};
  /** Echoed by the runner's probe path, so only this process's answer counts (a check beside PORT=0). */
  private readonly instance = randomBytes(8).toString('hex');

  constructor(private readonly options: InstanceOptions) {
    this.listening = new Promise((resolve) => { this.heard = resolve; });
    this.child = spawn(options.python, [options.runnerPath], {
      cwd: options.scratchDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        // The app's own variables first: the runner's contract below cannot be overridden (the API
        // refuses these names anyway). Nothing of the platform's environment is inherited.
        ...options.env,
        PATH: '/usr/local/bin:/usr/bin:/bin',
        APP_ID: options.appId,
        CODE_DIR: options.codeDir,
        ENTRYPOINT: options.entrypoint,
        PORT: '0',
        FP_INSTANCE: this.instance,
        FP_HOST: '127.0.0.1',
        FP_TERMINATION_LOG: `${options.scratchDir}/termination-log`,
        FORWARDED_ALLOW_IPS: '127.0.0.1',
        TMPDIR: options.scratchDir,
        HOME: options.scratchDir,
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: this.child[stream] as NodeJS.ReadableStream });
      lines.on('line', (text) => this.line(stream, text));
    }
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
      this.child.on('error', () => resolve({ code: -1, signal: null }));
    });
  }

  private line(stream: 'stdout' | 'stderr', text: string): void {
    let event: Record<string, unknown> | null = null;
    if (stream === 'stderr' && text.startsWith('{"fp"')) {
      try {
        event = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Not a structured line after all: logged as it is.
      }
    }
    if (!event) return this.options.onLine(stream, text);
    for (const readable of readableRunnerLines(event, text)) this.options.onLine(stream, readable);
    if (event.fp === 'listening' && typeof event.port === 'number' && this.boundPort === null) {
      this.boundPort = event.port;
      this.heard();
    }
    if (event.fp === 'start-failed') {
      this.failure = {
        message: `${String(event.type)}: ${String(event.message)}`,
        file: typeof event.file === 'string' ? event.file : null,
        line: typeof event.line === 'number' ? event.line : null,
      };
    }
    this.options.onEvent(event);
  }

  /** The port the runner bound; known once it reported `listening`, which waitHealthy waits for. */
  get port(): number {
    if (this.boundPort === null) throw new Error('the runner has not reported its port yet');
    return this.boundPort;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Whether the exit (if any) was asked for. */
  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Resolves once the runner reported its port and /_platform/health answers 200 there; rejects with
   * the runner's own failure line when the process exits first, or a probe failure after `timeoutMs`.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => { exited = true; });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.listening, this.exited, new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
    while (Date.now() < deadline) {
      if (exited || !this.running) {
        await this.exited;
        // The termination line may trail the exit by a moment on the pipe.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const info = await this.exited;
        throw Object.assign(new Error(this.failure?.message ?? `the app exited (${info.signal ?? info.code}) before it was ready`), {
          failure: this.failure ?? { message: `the app exited (${info.signal ?? info.code}) before it was ready`, file: null, line: null },
          reason: this.failure ? 'start-failed' : 'crash-loop',
        });
      }
      if (this.boundPort === null) break;
      try {
        const res = await fetch(`http://127.0.0.1:${this.boundPort}/_platform/health`, { signal: AbortSignal.timeout(2000) });
        // Only our own process counts (defence in depth: the kernel gave the port to this process alone).
        if (res.status === 200 && res.headers.get('x-platform-instance') === this.instance) return;
      } catch {
        // Refused or slow: a busy host; asked again until the deadline.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.kill();
    throw Object.assign(new Error(`the app did not answer /_platform/health within ${Math.round(timeoutMs / 1000)} s`), {
      failure: { message: `the app did not answer its health probe within ${Math.round(timeoutMs / 1000)} s (a slow import or a blocking startup)`, file: null, line: null },
      reason: 'probe-failed',
    });
  }

  /** SIGTERM: in-flight requests finish (the runner's graceful shutdown), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.stopping = true;
    if (this.running) this.child.kill('SIGKILL');
  }
}
