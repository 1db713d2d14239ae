/**
 * The import rule: an absolute import must name an allowed module (or a submodule of one) or one of
 * the project's own modules and packages; relative imports are the project's own. `from google
 * import auth` counts as importing `google.auth`, so dotted entries work either way.
 */
import { finding, type Finding } from '../findings.js';
import type { ImportFact } from './facts.js';

/** Top-level names the project's own modules and packages (regular or namespace) are imported as. */
export function localModules(paths: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    if (!path.endsWith('.py')) continue;
    const top = path.split('/')[0] ?? '';
    names.add(top.endsWith('.py') ? top.slice(0, -3) : top);
  }
  return names;
}

export function isAllowedModule(module: string, allowList: readonly string[]): boolean {
  return allowList.some((entry) => module === entry || module.startsWith(`${entry}.`));
}

const hints: [RegExp, string][] = [
  [/^requests$/, ' Use httpx, which is available and has the same style: `import httpx`.'],
  [/^(numpy|pandas|scipy|sklearn|torch|tensorflow)$/, ' Data-science libraries are not in the runner image.'],
  [/^(flask|django|bottle|tornado)$/, ' This platform runs FastAPI and FastHTML apps; port the routes to FastAPI.'],
  [/^(subprocess|multiprocessing|pty|ctypes|cffi)$/, ' Starting processes or loading native code is not available to apps.'],
  [/^(importlib|imp|builtins|runpy|code|codeop)$/, ' Loading code dynamically is not allowed; import what you need directly.'],
  [/^(socket|ssl|select|selectors)$/, ' Use httpx for outbound HTTP.'],
];

function importName(fact: ImportFact): string {
  return fact.names.length > 0 && !fact.names.includes('*') && fact.module ? `${fact.module} (${fact.names.join(', ')})` : fact.module;
}

export function importFindings(file: string, imports: readonly ImportFact[], local: ReadonlySet<string>, allowList: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const fact of imports) {
    if (fact.level > 0 || !fact.module) continue;
    const top = fact.module.split('.')[0] ?? '';
    if (local.has(top) || isAllowedModule(fact.module, allowList)) continue;
    const names = fact.names.filter((n) => n !== '*');
    if (names.length > 0 && names.length === fact.names.length && names.every((n) => isAllowedModule(`${fact.module}.${n}`, allowList))) continue;
    const hint = hints.find(([pattern]) => pattern.test(top))?.[1] ?? ' Ask an admin to add it to the allowed imports, or use an allowed module.';
    findings.push(finding(file, 'import-not-allowed', `Import of ${importName(fact)} is not allowed.${hint}`, fact));
  }
  return findings;
}
