/**
 * A Python project's code findings: CPython's facts for every .py file that changed (cached by content
 * hash and entry flag), then the import allow-list, the blocked names and the entry module's `app`.
 */
import { cachedFacts, FactsCache } from '../cache.js';
import { finding, type Finding } from '../findings.js';
import type { PreparedFile } from '../project.js';
import type { ValidationRules } from '../rules.js';
import type { AnalysisEngine, FileFacts, PythonFramework } from './facts.js';
import { importFindings, localModules } from './imports.js';
import { referenceFindings } from './references.js';

export interface LanguageResult {
  readonly findings: Finding[];
  readonly framework: PythonFramework | 'hono' | null;
  /** Code files sent to the engine, and answered from the cache. */
  readonly analyzed: number;
  readonly cached: number;
}

function syntaxFinding(file: string, error: NonNullable<FileFacts['error']>): Finding {
  const code = error.type === 'IndentationError' || error.type === 'TabError' ? 'indentation-error' : 'syntax-error';
  return finding(file, code, error.message, error);
}

function frameworkOf(facts: FileFacts | undefined, all: readonly FileFacts[]): PythonFramework | null {
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

export class PythonChecks {
  private readonly cache: FactsCache<Omit<FileFacts, 'path'>>;

  constructor(private readonly engine: AnalysisEngine, private readonly hash: (text: string) => string, capacity?: number) {
    this.cache = new FactsCache(capacity);
  }

  private factsFor(files: readonly PreparedFile[]): Promise<{ facts: FileFacts[]; analyzed: number }> {
    return cachedFacts(this.cache, files, (file) => `${this.hash(file.text)}:${file.entry ? 'entry' : 'module'}`, (file) => file.path,
      (missing) => this.engine.analyze(missing.map((file) => ({ path: file.path, source: file.text, entry: file.entry }))));
  }

  async check(files: readonly PreparedFile[], paths: readonly string[], entrypoint: string, rules: ValidationRules): Promise<LanguageResult> {
    const findings: Finding[] = [];
    const { facts, analyzed } = await this.factsFor(files);
    const local = localModules(paths);
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
    const entry = facts.find((f) => f.path === entrypoint);
    const missingApp = entry ? appFinding(entry) : undefined;
    if (missingApp) findings.push(missingApp);
    return { findings, framework: frameworkOf(entry, facts), analyzed, cached: facts.length - analyzed };
  }
}
