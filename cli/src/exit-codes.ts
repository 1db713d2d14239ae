/**
 * The exit codes of `fp`, part of its contract with scripts (docs/cli.md): each failure class has
 * its own, so CI can tell "sign in again" from "fix your code" from "someone else edited the draft".
 */
export const exitCodes = {
  ok: 0,
  /** Anything else: the platform unreachable or failing, a local file unreadable. */
  failure: 1,
  /** The command line is wrong (unknown flag, missing argument), or the platform refused the input. */
  usage: 2,
  /** Not signed in, the session ended, or not allowed. */
  auth: 3,
  /** The app, version, token or template does not exist (or is not yours). */
  notFound: 4,
  /** The draft changed on the platform since your last pull/push, or local edits would be lost. */
  conflict: 5,
  /** The code does not validate, or the deploy (or rollback) did not go live. */
  deployFailed: 6,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A failure with the sentence to print and the exit code to end with; never printed as a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode = exitCodes.failure, readonly hint?: string) {
    super(message);
    this.name = 'CliError';
  }
}
