/**
 * User-code validation, one implementation for the API, the UI and the CLI. This entry is free of
 * Node APIs (the UI imports it); validation/node.ts adds the engines that run CPython.
 */
export { createValidator } from './validator.js';
export type { Validator, ValidatorOptions, ValidationResult, ValidationStats } from './validator.js';
export { checkProject, pathProblem, extensionOf } from './project.js';
export type { ProjectInput, FileContent, PreparedFile } from './project.js';
export { defaultRules, defaultAllowedImports, defaultLimits, defaultAllowedExtensions } from './rules.js';
export type { ValidationRules, ValidationLimits } from './rules.js';
export { findingCodes, severities } from './findings.js';
export type { Finding, FindingCode, Severity } from './findings.js';
export type { AnalysisEngine, EngineFile, FileFacts, Framework } from './facts.js';
export { isAllowedModule, localModules } from './imports.js';
