import { type Finding } from './findings.js';
import type { AnalysisEngine, Framework } from './facts.js';
import { type ProjectInput } from './project.js';
import { type ValidationRules } from './rules.js';
export interface ValidationStats {
    readonly files: number;
    /** Python files sent to the engine. */
    readonly analyzed: number;
    /** Python files answered from the cache. */
    readonly cached: number;
    readonly ms: number;
}
export interface ValidationResult {
    /** No finding of severity error. */
    readonly valid: boolean;
    readonly findings: Finding[];
    readonly framework: Framework | null;
    readonly stats: ValidationStats;
}
export interface Validator {
    readonly engine: AnalysisEngine;
    validate(input: ProjectInput, rules?: ValidationRules): Promise<ValidationResult>;
    close(): Promise<void>;
}
export interface ValidatorOptions {
    readonly engine: AnalysisEngine;
    /** A collision-resistant hash of a file's text (sha-1 or better). */
    readonly hash: (text: string) => string;
    readonly cacheCapacity?: number;
}
export declare function createValidator(options: ValidatorOptions): Validator;
