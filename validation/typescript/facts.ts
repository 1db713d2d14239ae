/** What the TypeScript engine reports per .ts/.tsx/.mts/.js/.mjs/.jsx file (engines/typescript.ts writes this shape). */
import type { Span } from '../findings.js';

export interface ModuleImport extends Span {
  /** As written: `hono`, `node:fs`, `./routes.js`. */
  readonly specifier: string;
  /** `import`/`export … from`, `import()` with a literal, `require()` / `import x = require()`. */
  readonly kind: 'static' | 'dynamic' | 'require';
  /** `import type …`: erased by the compiler, never loaded. */
  readonly typeOnly: boolean;
}

export interface ScriptReference extends Span {
  /** `eval`, `Function`, `process.binding`, `import()` … */
  readonly name: string;
  readonly kind: 'eval' | 'function-constructor' | 'native' | 'computed-import' | 'require';
}

/** What the module's default export is, as far as the syntax tells. */
export interface DefaultExport extends Span {
  /**
   * - `app`: a Hono (or OpenAPIHono) app, or an object literal with a `fetch` member;
   * - `unknown`: a value the syntax cannot judge (a call's result, an imported binding): left to the runner;
   * - `not-app`: a function, class, literal or object without `fetch`.
   */
  readonly verdict: 'app' | 'unknown' | 'not-app';
  readonly framework: 'hono' | null;
  /** For `not-app`: what it is ("a function", "an object without a fetch method"). */
  readonly what?: string;
}

/** A module-level binding that holds a Hono app (for "add `export default app`"). */
export interface AppBinding extends Span {
  readonly name: string;
}

export interface ScriptFacts {
  readonly path: string;
  /** The file does not compile or load: the parser's, the runner's compiler's (esbuild) or V8's verdict. */
  readonly error: ({ readonly message: string; readonly by: 'parser' | 'compiler' | 'engine' } & Span) | null;
  readonly imports: readonly ModuleImport[];
  readonly references: readonly ScriptReference[];
  /** null: the module has no default export. */
  readonly defaultExport: DefaultExport | null;
  readonly appBindings: readonly AppBinding[];
  /** Set when the engine could not analyse the file at all. */
  readonly failure?: { readonly code: 'analysis-timeout' | 'analysis-failed'; readonly message: string };
}

export interface ScriptFile {
  readonly path: string;
  readonly source: string;
}

/** Parses and compiles scripts as the Node runner would: typescript-estree, then esbuild and V8. */
export interface ScriptEngine {
  readonly name: string;
  /** What gives the verdicts, e.g. "esbuild 0.28.2, Node 20.20.2". */
  readonly version: string;
  analyze(files: readonly ScriptFile[]): Promise<ScriptFacts[]>;
  /** Loads what the first analysis needs, ahead of it. */
  warm(): Promise<void>;
  close(): Promise<void>;
}
