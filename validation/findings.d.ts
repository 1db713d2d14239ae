/**
 * A finding: one problem in one file, positioned for an editor marker (1-based lines and columns,
 * end column exclusive, as Monaco expects), with a stable code and a message that says what to change.
 */
export declare const severities: readonly ["error", "warning", "info"];
export type Severity = (typeof severities)[number];
export declare const findingCodes: readonly ["syntax-error", "indentation-error", "invalid-encoding", "analysis-failed", "analysis-timeout", "app-missing", "import-not-allowed", "blocked-name", "path-invalid", "path-hidden", "path-duplicate", "extension-not-allowed", "file-too-large", "project-too-large", "too-many-files", "project-empty", "entrypoint-missing", "entrypoint-not-python"];
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
export declare function finding(file: string, code: FindingCode, message: string, span?: Span, severity?: Severity): Finding;
export declare function compareFindings(a: Finding, b: Finding): number;
