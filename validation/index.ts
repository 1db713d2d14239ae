/**
 * User-code validation, one implementation for the API, the UI and the CLI. This entry is free of
 * Node APIs; validation/node.ts adds the engines (CPython for Python; typescript-estree, esbuild and V8
 * for TypeScript).
 */
export { createValidator } from './validator.js';
export type { Validator, ValidatorOptions, ValidationResult, ValidationStats, Framework } from './validator.js';
export { checkProject, pathProblem, extensionOf, languageOf, languages } from './project.js';
export type { ProjectInput, FileContent, PreparedFile, Language } from './project.js';
export { defaultRules, defaultAllowedImports, defaultAllowedPackages, defaultLimits, defaultAllowedExtensions } from './rules.js';
export type { ValidationRules, ValidationLimits } from './rules.js';
export { findingCodes, severities } from './findings.js';
export type { Finding, FindingCode, Severity } from './findings.js';
export type { AnalysisEngine, EngineFile, FileFacts, PythonFramework } from './python/facts.js';
export { isAllowedModule, localModules } from './python/imports.js';
export type { ScriptEngine, ScriptFacts, ScriptFile } from './typescript/facts.js';
export { allowedBuiltins } from './typescript/rules.js';
export { nodeBuiltins, resolveImport, scriptExtensions } from './typescript/modules.js';
