/**
 * One runner process (started by RunnerLauncher: sandboxed, on a Unix socket of its own), its output
 * split into lines, and the runner's structured stderr lines (`{"fp": …}`, runner/CONTRACT.md) parsed
 * for the supervisor. What the app prints is the app's: a structured line counts only while it can be
 * the runner's own (`start-failed` and `listening` before the app is ready), so an app cannot fake a
 * failure of itself once it serves.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { readableRunnerLines } from '../runner-lines.js';
import type { LaunchedRunner, LaunchRequest, RunnerLauncher } from './runner-launch.js';

export interface StartFailure {
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
}

export type StartFailureReason = 'start-failed' | 'crash-loop' | 'probe-failed' | 'oom-killed';

export interface InstanceHandlers {
  readonly onLine: (stream: 'stdout' | 'stderr', text: string) => void;
  readonly onEvent: (event: Record<string, unknown>) => void;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The kernel's OOM killer ended it (its memory limit). */
  readonly oomKilled: boolean;
}

/** GET over the runner's socket: the probe path's status and its instance header. */
function probe(socketPath: string, timeoutMs: number): Promise<{ status: number; instance: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/_platform/health', headers: { host: 'localhost' }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, instance: res.headers['x-platform-instance'] as string | undefined }));
    });
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', reject);
    req.end();
  });
}

export class RunnerInstance {
  readonly exited: Promise<ExitInfo>;
  private stopping = false;
  private ready = false;
  private failure: StartFailure | undefined;
  private listening = false;
  private heard: () => void = () => {};
  private readonly listened: Promise<void>;
  private runnerPid: number | undefined;

  private constructor(private readonly launched: LaunchedRunner, private readonly instance: string, private readonly handlers: InstanceHandlers) {
    this.listened = new Promise((resolve) => { this.heard = resolve; });
    const { child } = launched;
    void launched.pid.then((pid) => { this.runnerPid = pid; }, () => {});
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: child[stream] as NodeJS.ReadableStream });
      lines.on('line', (text) => this.line(stream, text));
    }
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        void launched.oomKilled().then((oomKilled) => resolve({ code, signal, oomKilled }), () => resolve({ code, signal, oomKilled: false }));
      };
      child.on('exit', done);
      child.on('error', () => done(-1, null));
    });
    void this.exited.then(() => launched.cleanup()).catch(() => {});
  }

  static async start(launcher: RunnerLauncher, request: Omit<LaunchRequest, 'instance'>, handlers: InstanceHandlers): Promise<RunnerInstance> {
    // Echoed by the runner's probe path, so only this process's answer counts.
    const instance = randomBytes(8).toString('hex');
    return new RunnerInstance(await launcher.start({ ...request, instance }), instance, handlers);
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
    // Once the app serves, a start-up line can only be the app's own printing: shown as it came.
    if (event && this.ready && (event.fp === 'start-failed' || event.fp === 'listening')) event = null;
    if (!event) return this.handlers.onLine(stream, text);
    for (const readable of readableRunnerLines(event, text)) this.handlers.onLine(stream, readable);
    if (event.fp === 'listening' && !this.listening) {
      this.listening = true;
      this.heard();
    }
    if (event.fp === 'start-failed') {
      this.failure = {
        message: `${String(event.type)}: ${String(event.message)}`,
        file: typeof event.file === 'string' ? event.file : null,
        line: typeof event.line === 'number' ? event.line : null,
      };
    }
    this.handlers.onEvent(event);
  }

  /** The socket the platform reaches the runner on (never one the process reports). */
  get socketPath(): string {
    return this.launched.socketPath;
  }

  /** The runner's own PID, once its sandbox reported it. */
  get pid(): number | undefined {
    return this.runnerPid;
  }

  get running(): boolean {
    const { child } = this.launched;
    return child.exitCode === null && child.signalCode === null;
  }

  /** Whether the exit (if any) was asked for. */
  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Resolves once the runner reported it listens and /_platform/health answers 200 on its socket with
   * this instance's header; rejects with the runner's own failure line when the process exits first,
   * or a probe failure after `timeoutMs`.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => { exited = true; });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.listened, this.exited, new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
    while (Date.now() < deadline) {
      if (exited || !this.running) {
        const info = await this.exited;
        // The failure line may trail the exit by a moment on the pipe.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const how = `the app exited (${info.signal ?? `code ${info.code}`}) before it was ready`;
        if (info.oomKilled) {
          const message = 'the app ran out of memory while starting and was killed (its memory limit)';
          throw Object.assign(new Error(message), { failure: { message, file: null, line: null }, reason: 'oom-killed' });
        }
        throw Object.assign(new Error(this.failure?.message ?? how), {
          failure: this.failure ?? { message: how, file: null, line: null },
          reason: this.failure ? 'start-failed' : 'crash-loop',
        });
      }
      if (!this.listening) break;
      try {
        const answer = await probe(this.socketPath, 2000);
        if (answer.status === 200 && answer.instance === this.instance) {
          this.ready = true;
          return;
        }
      } catch {
        // Refused or slow: a busy host; asked again until the deadline.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.kill();
    const seconds = Math.round(timeoutMs / 1000);
    throw Object.assign(new Error(`the app did not answer /_platform/health within ${seconds} s`), {
      failure: { message: `the app did not answer its health probe within ${seconds} s (a slow import or a blocking startup)`, file: null, line: null },
      reason: 'probe-failed',
    });
  }

  private signal(signal: NodeJS.Signals): void {
    // The runner itself: bwrap forwards no signals. Before its PID is known, the sandbox as a whole.
    const target = this.runnerPid ?? this.launched.child.pid;
    try {
      if (target) process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM: in-flight requests finish (the runner's graceful shutdown), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL, the runner and its sandbox. */
  kill(): void {
    this.stopping = true;
    if (!this.running) return;
    this.signal('SIGKILL');
    this.launched.child.kill('SIGKILL');
  }
}
