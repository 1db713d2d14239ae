/**
 * The validator: project checks, then the app's language's code checks (Python: CPython's facts;
 * TypeScript: typescript-estree, esbuild and V8, as the Node runner loads it), each cached by content
 * hash. Returns every finding, sorted, plus the detected framework.
 */
import { compareFindings, type Finding } from './findings.js';
import type { AnalysisEngine, PythonFramework } from './python/facts.js';
import { PythonChecks } from './python/validate.js';
import { checkProject, type Language, type ProjectInput } from './project.js';
import { defaultRules, type ValidationRules } from './rules.js';
import type { ScriptEngine } from './typescript/facts.js';
import { TypeScriptChecks } from './typescript/validate.js';

/** The framework an app is built with. */
export type Framework = PythonFramework | 'hono';

export interface ValidationStats {
  readonly files: number;
  /** Code files sent to an engine. */
  readonly analyzed: number;
  /** Code files answered from the cache. */
  readonly cached: number;
  readonly ms: number;
}

export interface ValidationResult {
  /** No finding of severity error. */
  readonly valid: boolean;
  readonly findings: Finding[];
  readonly framework: Framework | null;
  readonly language: Language;
  readonly stats: ValidationStats;
}

export interface Validator {
  /** The Python engine (CPython workers or pyodide). */
  readonly engine: AnalysisEngine;
  /** The TypeScript engine, when this validator has one. */
  readonly scripts: ScriptEngine | undefined;
  validate(input: ProjectInput, rules?: ValidationRules): Promise<ValidationResult>;
  close(): Promise<void>;
}

export interface ValidatorOptions {
  readonly engine: AnalysisEngine;
  /** Checks TypeScript apps; without one, their code is reported as not analysed. */
  readonly scripts?: ScriptEngine | undefined;
  /** A collision-resistant hash of a file's text (sha-1 or better). */
  readonly hash: (text: string) => string;
  readonly cacheCapacity?: number;
}

export function createValidator(options: ValidatorOptions): Validator {
  const python = new PythonChecks(options.engine, options.hash, options.cacheCapacity);
  const typescript = new TypeScriptChecks(options.scripts, options.hash, options.cacheCapacity);

  return {
    engine: options.engine,
    scripts: options.scripts,
    async validate(input, rules = defaultRules) {
      const begin = performance.now();
      const project = checkProject(input, rules);
      const checks = project.language === 'typescript' ? typescript : python;
      const code = await checks.check(project.files, Object.keys(input.files), input.entrypoint, rules);
      const findings = [...project.findings, ...code.findings].sort(compareFindings);
      return {
        valid: !findings.some((f) => f.severity === 'error'),
        findings,
        framework: code.framework,
        language: project.language,
        stats: { files: Object.keys(input.files).length, analyzed: code.analyzed, cached: code.cached, ms: performance.now() - begin },
      };
    },
    async close() {
      await options.engine.close();
      await options.scripts?.close();
    },
  };
}
