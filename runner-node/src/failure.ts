/**
 * Failures are data: when the app cannot start, the runner writes one structured line naming the error
 * and the file, line and column inside the user's project (source-mapped from TypeScript), to stderr and
 * to the container's termination-message file (Kubernetes shows it as the reason), then exits non-zero.
 * Stack traces name the project's files relative to it (`app.ts:12:5`), the same on every host.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emit } from './events.js';

/** Exit codes: distinct so supervisors can tell a broken app from a crashed runner (as the Python runner's). */
export const exitImportFailed = 3;
export const exitNoApp = 4;
/** Kubernetes reads at most 4096 bytes of the termination message. */
const terminationLimit = 4000;

export interface Place {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
}

const framePattern = /^\s*at (?:.*? \()?((?:file:\/\/)?\/.+?):(\d+):(\d+)\)?$/;

/** `path` (absolute, or a file URL) relative to the project, or null when it is outside it. */
export function inside(path: string, codeDir: string): string | null {
  const absolute = path.startsWith('file://') ? fileURLToPath(path) : path;
  if (!absolute.startsWith(`${codeDir}/`)) return null;
  const parts = absolute.slice(codeDir.length + 1).split('/');
  // A ConfigMap volume's `..data` / `..<timestamp>` directory, should a path name it.
  return (parts.length > 1 && parts[0]?.startsWith('..') ? parts.slice(1) : parts).join('/');
}

/** The innermost frame of `stack` inside the project. */
export function locateStack(stack: string, codeDir: string): Place {
  for (const text of stack.split('\n')) {
    const frame = framePattern.exec(text);
    if (!frame) continue;
    const file = inside(frame[1] ?? '', codeDir);
    if (file) return { file, line: Number(frame[2]), column: Number(frame[3]) };
  }
  return { file: null, line: null, column: null };
}

export function errorParts(error: unknown): { type: string; message: string; stack: string } {
  if (error instanceof Error) return { type: error.name || error.constructor.name, message: error.message, stack: error.stack ?? '' };
  return { type: typeof error, message: String(error), stack: '' };
}

/** The error's stack as Node prints it, with the project's files named relative to it. */
export function formatTraceback(error: unknown, codeDir: string): string {
  const { type, message, stack } = errorParts(error);
  const text = stack || `${type}: ${message}`;
  return text.split('\n').map((line) => line.replace(/((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)/g, (whole: string, path: string, row: string, column: string) => {
    const relative = inside(path, codeDir);
    return relative ? `${relative}:${row}:${column}` : whole;
  })).join('\n');
}

/** Writes the failure line to stderr and the termination-message file. */
export function report(kind: string, fields: Record<string, unknown>, terminationLog: string): string {
  const line = emit(kind, { ...fields, message: String(fields.message ?? '').slice(0, 1500) });
  try {
    writeFileSync(terminationLog, line.slice(0, terminationLimit));
  } catch {
    // No termination-message file outside Kubernetes; stderr still has the line.
  }
  return line;
}
