/**
 * A finding: one problem in one file, positioned for an editor marker (1-based lines and columns,
 * end column exclusive, as Monaco expects), with a stable code and a message that says what to change.
 */
export const severities = ['error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

export const findingCodes = [
  'syntax-error', 'indentation-error', 'invalid-encoding', 'analysis-failed', 'analysis-timeout',
  'app-missing', 'import-not-allowed', 'import-unresolved', 'blocked-name',
  'path-invalid', 'path-hidden', 'path-duplicate', 'extension-not-allowed',
  'file-too-large', 'project-too-large', 'too-many-files', 'project-empty',
  'entrypoint-missing', 'entrypoint-not-python', 'entrypoint-not-typescript',
] as const;
export type FindingCode = (typeof findingCodes)[number];

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: FindingCode;
  readonly message: string;
}

export interface Span {
  readonly line?: number | null;
  readonly column?: number | null;
  readonly endLine?: number | null;
  readonly endColumn?: number | null;
}

/** Builds a finding, filling a missing or partial position with a sensible one (line 1, one column). */
export function finding(file: string, code: FindingCode, message: string, span: Span = {}, severity: Severity = 'error'): Finding {
  const line = span.line && span.line > 0 ? span.line : 1;
  const column = span.column && span.column > 0 ? span.column : 1;
  const endLine = span.endLine && span.endLine >= line ? span.endLine : line;
  const endColumn = span.endColumn && (endLine > line || span.endColumn > column) ? span.endColumn : column + 1;
  return { file, line, column, endLine, endColumn, severity, code, message };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
