/**
 * fp as a person runs it: `node cli/bin/fp.js` as a child process with its own HOME (so its own
 * ~/.fp/config.toml), in the environment of a shell (nothing of the test bed's but the runner's
 * Python, as FP_PYTHON), stdin not a terminal. `fp()` waits for the exit; `fpSpawn()` keeps it running
 * for commands that wait (login, logs --follow, dev).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../bed/paths.js';
import type { TestUser } from './api.js';
import { venvPython } from './bed.js';

export const fpBin = `${repoRoot}cli/bin/fp.js`;

export interface FpResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FpOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
}

export interface FpProcess {
  readonly child: ChildProcess;
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves with the output once `pattern` appears in stdout or stderr; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<number | null>;
}

export interface Fp {
  readonly home: string;
  (args: string[], options?: FpOptions): Promise<FpResult>;
  spawn(args: string[], options?: FpOptions): FpProcess;
}

function childEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
    !name.startsWith('FP_') && !['MONGO_URI', 'SECRET_KEY', 'NODE_ENV', 'FORCE_COLOR', 'NO_COLOR', 'CI', 'DISPLAY', 'WAYLAND_DISPLAY', 'NODE_OPTIONS'].includes(name)));
  Object.assign(env, { HOME: home, FP_PYTHON: venvPython() });
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A fresh HOME for fp (removed after the test) and a runner bound to it. */
export async function fpFor(t: { teardown(fn: () => Promise<void>): void }): Promise<Fp> {
  const home = await mkdtemp(join(tmpdir(), 'fp-home-'));
  t.teardown(() => rm(home, { recursive: true, force: true }));
  const spawnFp = (args: string[], options: FpOptions = {}): FpProcess => {
    const child = spawn(process.execPath, [fpBin, ...args], { cwd: options.cwd ?? home, env: childEnv(home, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => { stdout += String(chunk); });
    child.stderr?.on('data', (chunk) => { stderr += String(chunk); });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp, timeoutMs = 30_000): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout) && !pattern.test(stderr)) {
        if (child.exitCode !== null) throw new Error(`fp ${args.join(' ')} exited (${child.exitCode}) before ${pattern}:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`fp ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return `${stdout}\n${stderr}`;
    };
    return { child, output: () => ({ stdout, stderr }), waitFor, exited };
  };
  const fp = (async (args: string[], options: FpOptions = {}) => {
    const run = spawnFp(args, options);
    const code = await run.exited;
    return { code, ...run.output() };
  }) as Fp;
  return Object.assign(fp, { home, spawn: spawnFp });
}

/** fp signed in to `api` as `user`, with a personal API token saved by `fp login --token`. */
export async function fpSignedIn(t: Parameters<typeof fpFor>[0], api: { url: string }, user: TestUser): Promise<Fp> {
  const fp = await fpFor(t);
  const token = (await user.client.post('/api/auth/tokens', { name: 'fp test' })).body.token as string;
  const login = await fp(['login', api.url, '--token', token]);
  if (login.code !== 0) throw new Error(`fp login --token failed: ${login.stderr}`);
  return fp;
}
