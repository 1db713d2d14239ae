/**
 * Runs one command's action and turns whatever it threw into fp's contract: the sentence on stderr
 * (with a hint line), the exit code of its class; Ctrl-C ends with 130.
 */
import { ApiError } from '../../contract/index.js';
import { fromApiError } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';
import { colourOn, painter } from './output.js';

export async function runAction(action: () => Promise<number | void>): Promise<number> {
  // Commands with children to stop (fp dev, fp logs --follow) listen for SIGINT themselves.
  if (process.listenerCount('SIGINT') === 0) process.once('SIGINT', () => process.exit(exitCodes.interrupted));
  try {
    return (await action()) ?? exitCodes.ok;
  } catch (error) {
    return report(error);
  }
}

export function report(error: unknown): number {
  const paint = painter(colourOn(process.stderr));
  const failure = error instanceof CliError ? error
    : error instanceof ApiError ? fromApiError(error)
      : new CliError(`fp failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`, exitCodes.failure, 'Run again with FP_DEBUG=1 for details, and report it if it persists.');
  process.stderr.write(`${paint('red', 'error:')} ${failure.message}\n`);
  if (failure.hint) process.stderr.write(`${paint('dim', failure.hint)}\n`);
  if (process.env.FP_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return failure.exitCode;
}
