/** The bed's own kubectl (built with the apiserver, never whatever is on PATH), as the admin. */
import { execFile } from 'node:child_process';
import { stringify } from 'yaml';
import { kubeBed } from './bed.js';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function kubectl(args: readonly string[], input?: string, kubeconfig = kubeBed().adminKubeconfig): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(kubeBed().kubectl, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Server-side applies objects as the bed's admin; throws with kubectl's message on failure. */
export async function adminApply(objects: readonly object[]): Promise<void> {
  const yaml = objects.map((o) => stringify(o)).join('---\n');
  const result = await kubectl(['apply', '--server-side', '--field-manager=test-admin', '-f', '-'], yaml);
  if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
}
