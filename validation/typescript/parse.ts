/**
 * typescript-estree's parse of one file: the syntax tree, or the parser's first error with its exact
 * place (typescript-estree stops at the first). JSX only in .tsx and .jsx, as the compiler sees them.
 */
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { Span } from '../findings.js';

export type Parsed =
  | { readonly program: TSESTree.Program; readonly error?: undefined }
  | { readonly program?: undefined; readonly error: { readonly message: string } & Span };

interface ParserError {
  readonly message: string;
  readonly location?: { readonly start: { line: number; column: number }; readonly end: { line: number; column: number } };
}

export function parseScript(path: string, source: string): Parsed {
  try {
    const program = parse(source, { filePath: path, jsx: /\.(tsx|jsx)$/.test(path), loc: true, range: true, comment: false, tokens: false });
    return { program };
  } catch (error) {
    const { message, location } = error as ParserError;
    if (!location) return { error: { message: String(message), line: null, column: null, endLine: null, endColumn: null } };
    const { start, end } = location;
    const endColumn = end.line === start.line && end.column <= start.column ? start.column + 2 : end.column + 1;
    return { error: { message: message.replace(/\.$/, ''), line: start.line, column: start.column + 1, endLine: end.line, endColumn } };
  }
}
