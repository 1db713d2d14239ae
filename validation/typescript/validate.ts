/**
 * A TypeScript app's code findings: the engine's facts for every module the runner would load (cached by
 * content hash and extension): each .ts/.tsx/.mts file, the entrypoint, and the .js/.mjs/.jsx files those
 * import (other .js files are browser assets, such as static/app.js); then syntax verdicts, the
 * import rules, the escape hatches and the entry module's default export.
 */
import { cachedFacts, FactsCache } from '../cache.js';
import { finding, type Finding } from '../findings.js';
import type { PreparedFile } from '../project.js';
import type { LanguageResult } from '../python/validate.js';
import type { ValidationRules } from '../rules.js';
import type { ScriptEngine, ScriptFacts } from './facts.js';
import { compiledExtensions, packageName, resolveImport } from './modules.js';
import { appFinding, importFindings, referenceFindings } from './rules.js';

const isCompiled = (path: string) => compiledExtensions.some((extension) => path.toLowerCase().endsWith(extension));

export class TypeScriptChecks {
  private readonly cache: FactsCache<Omit<ScriptFacts, 'path'>>;

  constructor(private readonly engine: ScriptEngine | undefined, private readonly hash: (text: string) => string, capacity?: number) {
    this.cache = new FactsCache(capacity);
  }

  private key(file: PreparedFile): string {
    return `${this.hash(file.text)}:${file.path.slice(file.path.lastIndexOf('.')).toLowerCase()}`;
  }

  private factsFor(files: readonly PreparedFile[], engine: ScriptEngine): Promise<{ facts: ScriptFacts[]; analyzed: number }> {
    return cachedFacts(this.cache, files, (file) => this.key(file), (file) => file.path,
      (missing) => engine.analyze(missing.map((file) => ({ path: file.path, source: file.text }))));
  }

  async check(files: readonly PreparedFile[], paths: readonly string[], entrypoint: string, rules: ValidationRules): Promise<LanguageResult> {
    const engine = this.engine;
    if (!engine) {
      return { findings: [finding(entrypoint, 'analysis-failed', 'TypeScript is checked by the platform (this validator has no TypeScript engine); validate through the API.')], framework: null, analyzed: 0, cached: 0 };
    }
    const byPath = new Map(files.map((file) => [file.path, file]));
    const projectPaths = new Set(paths);
    // The modules the runner loads: TypeScript files and the entry first, then the scripts they import.
    let wave = files.filter((file) => file.entry || isCompiled(file.path));
    const seen = new Set(wave.map((file) => file.path));
    const all: ScriptFacts[] = [];
    let analyzed = 0;
    while (wave.length > 0) {
      const result = await this.factsFor(wave, engine);
      analyzed += result.analyzed;
      all.push(...result.facts);
      const next: PreparedFile[] = [];
      for (const facts of result.facts) {
        for (const fact of facts.imports) {
          if (fact.typeOnly) continue;
          const target = resolveImport(fact.specifier, facts.path, projectPaths);
          const file = target.kind === 'file' ? byPath.get(target.path) : undefined;
          if (file && !seen.has(file.path)) {
            seen.add(file.path);
            next.push(file);
          }
        }
      }
      wave = next;
    }

    const findings: Finding[] = [];
    for (const file of all) {
      if (file.failure) {
        findings.push(finding(file.path, file.failure.code, file.failure.message));
        continue;
      }
      if (file.error) {
        findings.push(finding(file.path, 'syntax-error', file.error.message, file.error));
        continue;
      }
      findings.push(...importFindings(file.path, file.imports, projectPaths, rules.allowedPackages));
      findings.push(...referenceFindings(file.path, file.references));
    }
    const entry = all.find((f) => f.path === entrypoint);
    const missingApp = entry ? appFinding(entry) : undefined;
    if (missingApp) findings.push(missingApp);
    const usesHono = entry?.defaultExport?.framework === 'hono' || all.some((f) => f.imports.some((i) => !i.typeOnly && packageName(i.specifier).startsWith('hono')));
    return { findings, framework: usesHono ? 'hono' : null, analyzed, cached: all.length - analyzed };
  }
}
