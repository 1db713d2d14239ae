/**
 * The validator: project checks, then CPython's facts for every Python file that changed (cached by
 * content hash), then the rules. Returns every finding, sorted, plus the detected framework.
 */
import { FactsCache } from './cache.js';
import { compareFindings, finding, type Finding } from './findings.js';
import type { AnalysisEngine, FileFacts, Framework } from './facts.js';
import { importFindings, localModules } from './imports.js';
import { checkProject, type PreparedFile, type ProjectInput } from './project.js';
import { referenceFindings } from './references.js';
import { defaultRules, type ValidationRules } from './rules.js';

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

function syntaxFinding(file: string, error: NonNullable<FileFacts['error']>): Finding {
  const code = error.type === 'IndentationError' || error.type === 'TabError' ? 'indentation-error' : 'syntax-error';
  return finding(file, code, error.message, error);
}

function frameworkOf(facts: FileFacts | undefined, all: readonly FileFacts[]): Framework | null {
  if (facts?.app?.framework) return facts.app.framework;
  const imported = new Set(all.flatMap((f) => f.imports.map((i) => i.module.split('.')[0])));
  if (imported.has('fasthtml')) return 'fasthtml';
  if (imported.has('fastapi')) return 'fastapi';
  if (imported.has('starlette')) return 'starlette';
  return null;
}

function appFinding(entry: FileFacts): Finding | undefined {
  if (entry.error || entry.failure || entry.app) return undefined;
  const candidate = entry.appCandidates[0];
  if (candidate) {
    return finding(entry.path, 'app-missing', `The runner looks for a module-level \`app\`; rename \`${candidate.name}\` to \`app\`.`, candidate);
  }
  return finding(entry.path, 'app-missing',
    'The entrypoint defines no module-level `app`. Add `app = FastAPI()`, `app, rt = fast_app()` for FastHTML, or a `create_app()` function.');
}

export function createValidator(options: ValidatorOptions): Validator {
  const cache = new FactsCache(options.cacheCapacity);
  const key = (file: PreparedFile) => `${options.hash(file.text)}:${file.entry ? 'entry' : 'module'}`;

  async function factsFor(files: readonly PreparedFile[]): Promise<{ facts: FileFacts[]; analyzed: number }> {
    const keys = files.map(key);
    const facts: (FileFacts | undefined)[] = files.map((file, i) => {
      const cached = cache.get(keys[i] ?? '');
      return cached ? { ...cached, path: file.path } : undefined;
    });
    const missing = files.flatMap((file, i) => (facts[i] ? [] : [{ i, file }]));
    if (missing.length > 0) {
      const fresh = await options.engine.analyze(missing.map(({ file }) => ({ path: file.path, source: file.text, entry: file.entry })));
      missing.forEach(({ i }, k) => {
        const result = fresh[k];
        if (!result) return;
        facts[i] = result;
        if (!result.failure) {
          const { path: _path, ...cached } = result;
          cache.set(keys[i] ?? '', cached);
        }
      });
    }
    return { facts: facts.filter((f): f is FileFacts => f !== undefined), analyzed: missing.length };
  }

  return {
    engine: options.engine,
    async validate(input, rules = defaultRules) {
      const begin = performance.now();
      const project = checkProject(input, rules);
      const findings = [...project.findings];
      const { facts, analyzed } = await factsFor(project.files);
      const local = localModules(Object.keys(input.files));
      for (const file of facts) {
        if (file.failure) {
          findings.push(finding(file.path, file.failure.code, file.failure.message));
          continue;
        }
        if (file.error) {
          findings.push(syntaxFinding(file.path, file.error));
          continue;
        }
        findings.push(...importFindings(file.path, file.imports, local, rules.allowedImports));
        findings.push(...referenceFindings(file.path, file.references));
      }
      const entry = facts.find((f) => f.path === input.entrypoint);
      const missingApp = entry ? appFinding(entry) : undefined;
      if (missingApp) findings.push(missingApp);
      findings.sort(compareFindings);
      return {
        valid: !findings.some((f) => f.severity === 'error'),
        findings,
        framework: frameworkOf(entry, facts),
        stats: { files: Object.keys(input.files).length, analyzed, cached: project.files.length - analyzed, ms: performance.now() - begin },
      };
    },
    close: () => options.engine.close(),
  };
}
