/**
 * A server process owned by the test bed or by `npm start`: output goes to a log file (so a failure
 * can quote its tail), an early exit is noticed while waiting for readiness, and stop() ends it with
 * SIGTERM, then SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export class ServerProcess {
  readonly name: string;
  readonly logFile: string;
  private readonly child: ChildProcess;
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;

  constructor(options: ServerProcessOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    const fd = openSync(options.logFile, 'a');
    this.child = spawn(options.command, options.args, {
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: false,
    });
    closeSync(fd);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      this.child.on('error', (error) => {
        this.exitInfo = `failed to start: ${error.message}`;
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why the process is gone, or undefined while it runs. */
  get exitReason(): string | undefined {
    return this.exitInfo;
  }

  logTail(lines = 25): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /**
   * Polls `probe` until it returns true. Throws a message naming this process, the last probe error
   * and the log tail when it exits early or the deadline passes.
   */
  async waitReady(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError = 'not ready yet';
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new Error(`${this.name} ${this.exitInfo} before it was ready. Log ${this.logFile}:\n${this.logTail()}`);
      }
      try {
        if (await probe()) return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      await sleep(100);
    }
    throw new Error(
      `${this.name} was not ready after ${timeoutMs} ms (${lastError}). Log ${this.logFile}:\n${this.logTail()}`,
    );
  }

  async stop(graceMs = 5000): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
