/** The API as its own process (api/main.ts under tsx), as a cluster runs it: for tests that kill or restart it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../bed/paths.js';
import { eventually } from './kube-rest.js';

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<NodeJS.Signals | number | null>;
  /** Everything it logged so far. */
  readonly output: () => string;
}

/** Starts api/main.ts with `env` and resolves once `${url}/api/health` answers 200. */
export async function startApiProcess(env: NodeJS.ProcessEnv, url: string): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk) => { output += String(chunk); });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await eventually(`the API to answer (${output})`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited:\n${output}`);
    return (await fetch(`${url}/api/health`).catch(() => null))?.status === 200 ? true : undefined;
    // A start under tsx (compiling on the fly) beside the other test files on two cores: allow for it.
  }, 180_000);
  return { child, exited, output: () => output };
}
