/** Validation findings as compiler-style lines: `app.py:3:5: error: invalid syntax (syntax-error)`. */
import type { Finding } from '../../contract/index.js';
import type { Paint } from './output.js';

const colour = { error: 'red', warning: 'yellow', info: 'blue' } as const;

export function findingLine(f: Finding, paint: Paint): string {
  return `${paint('bold', `${f.file}:${f.line}:${f.column}`)}: ${paint(colour[f.severity], f.severity)}: ${f.message} ${paint('dim', `(${f.code})`)}`;
}

export const errorsOf = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');
