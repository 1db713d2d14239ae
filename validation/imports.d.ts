/**
 * The import rule: an absolute import must name an allowed module (or a submodule of one) or one of
 * the project's own modules and packages; relative imports are the project's own. `from google
 * import auth` counts as importing `google.auth`, so dotted entries work either way.
 */
import { type Finding } from './findings.js';
import type { ImportFact } from './facts.js';
/** Top-level names the project's own modules and packages (regular or namespace) are imported as. */
export declare function localModules(paths: readonly string[]): Set<string>;
export declare function isAllowedModule(module: string, allowList: readonly string[]): boolean;
export declare function importFindings(file: string, imports: readonly ImportFact[], local: ReadonlySet<string>, allowList: readonly string[]): Finding[];
