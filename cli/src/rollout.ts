/**
 * Follows a rollout to its end with a live display (phase by phase), and turns a failure into fp's
 * deploy-failed error with the file and line the runner reported.
 */
import { followProgress, type Client, type ProgressEvent } from '../../contract/index.js';
import type { Output } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';
import { progress } from './spinner.js';

const phrases: Record<string, string> = {
  validating: 'validating', applying: 'applying', scheduled: 'scheduled', pulling: 'pulling the image', starting: 'starting', ready: 'ready', failed: 'failed',
};

export function failureText(event: ProgressEvent): string {
  const f = event.failure;
  const where = f?.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  return `${where}${f?.message ?? event.message}`;
}

/** Resolves with the final event once version `version` is ready; throws CliError (exit 6) when it failed. */
export async function followRollout(api: Client, appId: string, version: number, out: Output): Promise<ProgressEvent> {
  const live = await progress(out, `Version ${version}: starting the rollout…`);
  let last: ProgressEvent | undefined;
  const started = Date.now();
  await followProgress(api, appId, (event) => {
    if (event.version !== version) return;
    last = event;
    if (event.phase !== 'ready' && event.phase !== 'failed') live.update(`Version ${version}: ${phrases[event.phase] ?? event.phase}…${event.message ? ` ${event.message}` : ''}`);
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (last?.phase === 'ready') {
    live.done(`Version ${version} is live (${seconds} s).`);
    return last;
  }
  if (last?.phase === 'failed') {
    live.fail(`Version ${version} did not start.`);
    throw new CliError(`Version ${version} did not start: ${failureText(last)}`, exitCodes.deployFailed, 'What ran before keeps serving. Fix it and deploy again; `fp logs` shows the output.');
  }
  // The stream ended without an outcome for this version (a newer deploy replaced it): ask the app.
  const app = await api.getApp({ params: { appId } });
  if (app.status.phase === 'running' && app.status.version === version) {
    live.done(`Version ${version} is live (${seconds} s).`);
    return last ?? { phase: 'ready', version, at: new Date().toISOString(), message: '' };
  }
  live.fail(`Version ${version}: ${app.status.phase}.`);
  const where = app.status.file ? `${app.status.file}${app.status.line ? `:${app.status.line}` : ''}: ` : '';
  throw new CliError(`Version ${version} did not go live (${app.status.phase})${app.status.message ? `: ${where}${app.status.message}` : '.'}`, exitCodes.deployFailed);
}
