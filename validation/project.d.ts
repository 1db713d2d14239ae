/**
 * Project-level checks that need no parser: file count and sizes, safe relative paths, hidden files,
 * duplicates that differ only by case, allowed extensions, text encoding, and the entrypoint. Returns
 * the findings and the Python files fit to analyse (decoded, within limits, safe paths).
 */
import { type Finding } from './findings.js';
import type { ValidationRules } from './rules.js';
export type FileContent = string | Uint8Array;
export interface ProjectInput {
    /** Relative path → content (text, or raw bytes as read from disk). */
    readonly files: Readonly<Record<string, FileContent>>;
    readonly entrypoint: string;
}
export interface PreparedFile {
    readonly path: string;
    readonly text: string;
    readonly entry: boolean;
}
export declare function extensionOf(path: string): string;
/** Why `path` is not a safe relative project path, or undefined when it is. */
export declare function pathProblem(path: string): {
    code: 'path-invalid' | 'path-hidden';
    message: string;
} | undefined;
export declare function checkProject(input: ProjectInput, rules: ValidationRules): {
    findings: Finding[];
    files: PreparedFile[];
};
