/**
 * How the Node runner compiles a user's file, in one place: the runner's load hook and the validator
 * both use it, so the validator's verdict is the runner's. esbuild strips the types of one file at a
 * time (no type-check, no bundling); V8 then parses the result as a strict ES module, and may refuse
 * what esbuild let through (an invalid regular expression, `arguments = 1`). Positions are 1-based
 * lines and 1-based columns in characters (UTF-16 code units, as editors count) of the user's file.
 */
import { spawn } from 'node:child_process';
import { SourceMap } from 'node:module';
import type { Loader, Message, TransformOptions } from 'esbuild';

/** Extensions the runner loads as ES modules: esbuild compiles the first four, V8 reads .js and .mjs as written. */
export const sourceExtensions = ['.ts', '.tsx', '.mts', '.jsx', '.js', '.mjs'] as const;

export function needsCompile(path: string): boolean {
  return /\.(ts|tsx|mts|jsx)$/.test(path);
}

export interface CompileProblem {
  readonly message: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
}

export function loaderFor(path: string): Loader {
  if (path.endsWith('.tsx')) return 'tsx';
  if (path.endsWith('.ts') || path.endsWith('.mts')) return 'ts';
  if (path.endsWith('.jsx')) return 'jsx';
  return 'js';
}

/** The esbuild options for one file; `sourcefile` is the path stack traces show (the file's absolute path). */
export function transformOptions(path: string, sourcefile: string, sourcemap: 'inline' | 'external'): TransformOptions {
  return {
    loader: loaderFor(path),
    format: 'esm',
    target: 'node20',
    platform: 'node',
    sourcemap,
    sourcefile,
    // JSX compiles to hono/jsx, whose runtime the image has; a file may choose otherwise with a pragma.
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'silent',
  };
}

/** A 0-based UTF-8 byte column of `lineText` as a 1-based UTF-16 column (esbuild counts bytes). */
export function characterColumn(lineText: string, byteColumn: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  return bytes.subarray(0, Math.max(0, byteColumn)).toString('utf8').length + 1;
}

/** esbuild's first error as a problem in the user's file. */
export function esbuildProblem(error: Message): CompileProblem {
  const at = error.location;
  if (!at) return { message: error.text, line: null, column: null, endLine: null, endColumn: null };
  const column = characterColumn(at.lineText, at.column);
  const endColumn = characterColumn(at.lineText, at.column + at.length);
  return { message: error.text, line: at.line, column, endLine: at.line, endColumn: Math.max(endColumn, column + 1) };
}

/**
 * Where V8 refuses `code` (esbuild's output) as a module, mapped through `map` to the user's file, or
 * null when it parses. `node --check` is the one place V8 reports the position of a module's syntax
 * error in Node 20 (an import() rejects with none), so it is asked on failure paths only.
 */
export async function v8Problem(node: string, code: string, map: string | null): Promise<CompileProblem | null> {
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(node, ['--input-type=module', '--check'], { stdio: ['pipe', 'ignore', 'pipe'], env: {} });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve(status === 0 ? '' : text));
    child.stdin.on('error', () => {});
    child.stdin.end(code);
  });
  if (!stderr) return null;
  const message = /^SyntaxError: (.*)$/m.exec(stderr)?.[1] ?? stderr.trim().split('\n').pop() ?? 'SyntaxError';
  // `[stdin]:<line>`, the line, and a caret under the place (none at the end of the input).
  const at = /^\[stdin\]:(\d+)\n(.*)\n( *)(\^*)/m.exec(stderr);
  if (!at) return { message, line: null, column: null, endLine: null, endColumn: null };
  const line = Number(at[1]);
  const column = (at[3] ?? '').length;
  const width = Math.max(1, (at[4] ?? '').length);
  if (!map) return { message, line, column: column + 1, endLine: line, endColumn: column + 1 + width };
  const start = new SourceMap(JSON.parse(map) as ConstructorParameters<typeof SourceMap>[0]).findEntry(line - 1, column);
  if (!('originalLine' in start)) return { message, line: null, column: null, endLine: null, endColumn: null };
  // esbuild maps tokens one to one, so the caret's width carries over.
  const from = start.originalColumn + (column - start.generatedColumn) + 1;
  return { message, line: start.originalLine + 1, column: from, endLine: start.originalLine + 1, endColumn: from + width };
}
