/**
 * Starts a real runner on a project written to a temporary code directory: the Python one
 * (runner/entrypoint.py from the bed's venv) or, with `language: 'typescript'`, the Node one
 * (runner-node/dist with its pinned packages, on this Node), exactly as the local runtime runs it: CODE_DIR, ENTRYPOINT, PORT=0 (the
 * runner reports the port the kernel gave it), a scratch TMPDIR and HOME, a termination-message file,
 * and nothing else from the test's environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../bed/paths.js';
import { venvPython } from './bed.js';

export interface RunnerOptions {
  readonly files: Readonly<Record<string, string>>;
  readonly entrypoint?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Wait until /_platform/health answers 200 (default), or return as soon as the process runs. */
  readonly waitHealthy?: boolean;
  /**
   * `plain` files (default), or laid out as the kubelet's atomic writer lays out a ConfigMap volume:
   * the files in a hidden `..<timestamp>/` directory, `..data` linking to it, and each top-level entry a
   * symlink into `..data/`.
   */
  readonly layout?: 'plain' | 'configmap-volume';
  /** Which runner. @default 'python' */
  readonly language?: 'python' | 'typescript';
}

/** The command that runs each language's runner, as the local runtime runs it. */
export function runnerCommand(language: 'python' | 'typescript'): [string, string[]] {
  return language === 'typescript'
    ? [process.execPath, ['--enable-source-maps', join(repoRoot, 'runner-node/dist/main.mjs')]]
    : [venvPython(), [join(repoRoot, 'runner/entrypoint.py')]];
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunnerProcess {
  /** http://127.0.0.1:<port>; both throw until the runner reported `listening` (waitHealthy waits for it). */
  readonly url: string;
  readonly port: number;
  /** FP_INSTANCE, echoed by the probe path. */
  readonly instance: string;
  readonly codeDir: string;
  /** The directory the process was started in (the image's WORKDIR). */
  readonly startDir: string;
  readonly scratchDir: string;
  readonly terminationLog: string;
  readonly child: ChildProcess;
  /** performance.now() just before the process was spawned. */
  readonly spawnedAt: number;
  readonly exited: Promise<ExitInfo>;
  stdout(): string;
  stderr(): string;
  /** The runner's structured stderr lines ({"fp": ...}). */
  events(): Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<ExitInfo>;
}

export async function writeProject(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Writes files as a Kubernetes ConfigMap volume holds them (see RunnerOptions.layout). */
export async function writeVolumeProject(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  const hidden = '..2026_12_03_10_04_27.504815642';
  await writeProject(join(dir, hidden), files);
  await symlink(hidden, join(dir, '..data'));
  for (const top of new Set(Object.keys(files).map((path) => path.split('/')[0] ?? path))) await symlink(`..data/${top}`, join(dir, top));
}

/** Makes every file and folder read-only (meaningful when not root; tests also compare snapshots). */
async function makeReadOnly(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const path of Object.keys(files)) await chmod(join(dir, path), 0o444);
  const dirs = new Set(Object.keys(files).flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  for (const d of [...dirs].sort().reverse()) await chmod(join(dir, d), 0o555);
  await chmod(dir, 0o555);
}

export async function startRunner(t: { teardown(fn: () => Promise<void>): void }, options: RunnerOptions): Promise<RunnerProcess> {
  const root = await mkdtemp(join(tmpdir(), 'fp-runner-'));
  const codeDir = join(root, 'code');
  const startDir = join(root, 'workdir');
  const scratchDir = join(root, 'tmp');
  await Promise.all([mkdir(codeDir), mkdir(startDir), mkdir(scratchDir)]);
  if (options.layout === 'configmap-volume') {
    await writeVolumeProject(codeDir, options.files);
  } else {
    await writeProject(codeDir, options.files);
    await makeReadOnly(codeDir, options.files);
  }
  await chmod(startDir, 0o555);
  const instance = randomBytes(8).toString('hex');
  const terminationLog = join(scratchDir, 'termination-log');
  const spawnedAt = performance.now();
  const [command, args] = runnerCommand(options.language ?? 'python');
  const child = spawn(command, args, {
    cwd: startDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      CODE_DIR: codeDir,
      ENTRYPOINT: options.entrypoint ?? (options.language === 'typescript' ? 'app.ts' : 'app.py'),
      PORT: '0',
      FP_HOST: '127.0.0.1',
      FP_TERMINATION_LOG: terminationLog,
      FP_INSTANCE: instance,
      TMPDIR: scratchDir,
      HOME: scratchDir,
      PYTHONDONTWRITEBYTECODE: '1',
      ...options.env,
    },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  // 'close', not 'exit': the output is read to its end by then.
  const exited = new Promise<ExitInfo>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let finished = false;
  void exited.then(() => { finished = true; });

  // Whole lines only: the last piece may still be arriving.
  const events = () => err.split('\n').slice(0, -1).filter((l) => l.startsWith('{"fp"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const port = () => {
    const listening = events().find((e) => e.fp === 'listening');
    if (typeof listening?.port !== 'number') throw new Error(`the runner has not reported its port yet:\n${err}`);
    return listening.port;
  };
  const handle: RunnerProcess = {
    get url() { return `http://127.0.0.1:${port()}`; },
    get port() { return port(); },
    instance, codeDir, startDir, scratchDir, terminationLog, child, exited, spawnedAt,
    stdout: () => out,
    stderr: () => err,
    events,
    async stop(signal = 'SIGTERM') {
      if (!finished) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
  t.teardown(async () => {
    await handle.stop();
    await chmodTree(root);
    await rm(root, { recursive: true, force: true });
  });
  if (options.waitHealthy ?? true) await waitHealthy(handle);
  return handle;
}

async function chmodTree(root: string): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise((resolve) => execFile('chmod', ['-R', 'u+w', root], resolve));
}

/**
 * Waits for the runner's `listening` line, then polls the probe path until this runner (by its instance
 * header) answers 200; throws with the runner's output if it exits or takes over 30 s.
 */
export async function waitHealthy(runner: RunnerProcess, timeoutMs = 30_000, pollMs = 25): Promise<number> {
  const begin = Date.now();
  while (Date.now() - begin < timeoutMs) {
    if (runner.child.exitCode !== null || runner.child.signalCode !== null) {
      throw new Error(`the runner exited (${runner.child.exitCode ?? runner.child.signalCode}) before it was healthy:\n${runner.stderr()}`);
    }
    if (!runner.events().some((e) => e.fp === 'listening')) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      continue;
    }
    try {
      const res = await fetch(`${runner.url}/_platform/health`);
      if (res.status === 200 && res.headers.get('x-platform-instance') === runner.instance) return Date.now() - begin;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`the runner was not healthy after ${timeoutMs} ms:\n${runner.stderr()}`);
}

export async function terminationMessage(runner: RunnerProcess): Promise<string> {
  return readFile(runner.terminationLog, 'utf8');
}

/** A GET over a Unix socket (FP_LISTEN=unix:…), as the local runtime's proxy reaches a runner. */
export function unixGet(socketPath: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { host: 'app.test', ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** How a runner that could not start ended: its exit code, its start-failed line, and the termination message. */
export async function startFailure(runner: RunnerProcess): Promise<{ exit: number | null; line: Record<string, unknown>; termination: Record<string, unknown> }> {
  const { code } = await runner.exited;
  const line = runner.events().find((e) => e.fp === 'start-failed');
  if (!line) throw new Error(`no start-failed line in:\n${runner.stderr()}`);
  return { exit: code, line, termination: JSON.parse(await terminationMessage(runner)) as Record<string, unknown> };
}
