/**
 * `npm start`'s platform as a child process (scripts/start-platform.ts, the launcher `npm start` runs
 * after set-up), in the environment a person's shell would have, resolved once it prints its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../bed/paths.js';

export interface Launched {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** The environment of a person's shell: nothing of the test bed's. */
export function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FP_BED_') && !['MONGO_URI', 'SECRET_KEY', 'NODE_ENV'].includes(name)));
  return { ...env, ...extra };
}

export async function launch(env: NodeJS.ProcessEnv, port: number): Promise<Launched> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-platform.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => { output += String(chunk); });
  child.stderr?.on('data', (chunk) => { output += String(chunk); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!output.includes(`FastAPI Platform is running at http://localhost:${port}/`)) {
    if (child.exitCode !== null) throw new Error(`npm start's platform exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start's platform printed no URL within 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, exited };
}
