/** The Helm built by scripts/setup.sh (never whatever is on PATH), with its own config and cache dirs. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBedPaths } from '../bed/paths.js';

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let home: string | undefined;

export function helmBinary(): string {
  const helm = readBedPaths().helm;
  if (!helm || !existsSync(helm)) throw new Error(`Helm is not built${helm ? ` at ${helm}` : ''}: run \`bash scripts/setup.sh helm\` (npm test does)`);
  return helm;
}

export function helm(args: readonly string[], env: Record<string, string> = {}): Promise<HelmResult> {
  home ??= mkdtempSync(join(tmpdir(), 'fp-helm-home-'));
  const dirs = { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
  return new Promise((resolve) => {
    execFile(helmBinary(), args, { env: { ...process.env, ...dirs, ...env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
