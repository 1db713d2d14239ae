/** What the analysis engine reports per Python file (validation/python/analyzer.py writes this shape). */
import type { Span } from '../findings.js';

export interface ImportFact extends Span {
  /** The module as written ('' for `from . import x`). */
  readonly module: string;
  /** 0 for absolute imports, the number of leading dots otherwise. */
  readonly level: number;
  /** The names of `from module import a, b` ('*' for a star import). */
  readonly names: readonly string[];
}

export interface ReferenceFact extends Span {
  /** `eval`, `os.system`, `__subclasses__`, ... */
  readonly name: string;
  readonly kind: 'builtin' | 'attribute' | 'dunder';
}

export type PythonFramework = 'fastapi' | 'fasthtml' | 'starlette';

export interface AppFact extends Span {
  readonly via: 'assign' | 'annotated' | 'tuple' | 'import' | 'factory';
  readonly framework: PythonFramework | null;
}

export interface AppCandidate extends Span {
  readonly name: string;
  readonly framework: PythonFramework;
}

export interface FileFacts {
  readonly path: string;
  /** CPython refused the file (compile() raised). */
  readonly error: ({ readonly type: string; readonly message: string } & Span) | null;
  readonly imports: readonly ImportFact[];
  readonly references: readonly ReferenceFact[];
  /** Entry file only: how `app` is defined, if it is. */
  readonly app: AppFact | null;
  readonly appCandidates: readonly AppCandidate[];
  readonly astUsed: boolean;
  /** Set by the engine when it could not analyse the file at all (timeout, crashed worker). */
  readonly failure?: { readonly code: 'analysis-timeout' | 'analysis-failed'; readonly message: string };
}

export interface EngineFile {
  readonly path: string;
  readonly source: string;
  readonly entry: boolean;
}

/** Runs the analyzer on files: a pool of CPython 3.11 workers, or pyodide (CPython 3.11.3 in WASM). */
export interface AnalysisEngine {
  readonly name: string;
  /** The exact CPython version giving the verdicts. */
  readonly pythonVersion: string;
  analyze(files: readonly EngineFile[]): Promise<FileFacts[]>;
  close(): Promise<void>;
}
