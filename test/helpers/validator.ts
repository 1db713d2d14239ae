/** One shared validator per test file on the bed's CPython 3.11 (the runner venv's interpreter). */
import type { ExecutionContext } from 'ava';
import { createNodeValidator, type ProjectInput, type Validator, type ValidationResult } from '../../validation/node.js';
import { venvPython } from './bed.js';

let shared: Promise<Validator> | undefined;

export function bedValidator(): Promise<Validator> {
  shared ??= createNodeValidator({ python: venvPython() });
  return shared;
}

export async function closeBedValidator(): Promise<void> {
  if (shared) await (await shared).close();
}

export async function validate(files: ProjectInput['files'], entrypoint = 'app.py', rules?: Parameters<Validator['validate']>[1]): Promise<ValidationResult> {
  return (await bedValidator()).validate({ files, entrypoint }, rules);
}

/** The findings as `file:line code` strings, for compact assertions. */
export function brief(result: ValidationResult): string[] {
  return result.findings.map((f) => `${f.file}:${f.line} ${f.code}`);
}

export function registerClose(test: { after: { always(fn: (t: ExecutionContext) => Promise<void>): void } }): void {
  test.after.always(() => closeBedValidator());
}
