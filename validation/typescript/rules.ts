/**
 * Findings from a script's facts: imports checked against the runner image's packages and the built-ins a
 * web app may use, relative imports resolved within the project, the escape hatches (`eval`, `new
 * Function`, native bindings, computed `import()`), and the entry module's default export. As for
 * Python, these are guard-rails; the sandbox or the pod is the boundary.
 */
import { finding, type Finding } from '../findings.js';
import type { ModuleImport, ScriptFacts, ScriptReference } from './facts.js';
import { resolveImport, scriptExtensions } from './modules.js';

/** Built-ins an everyday web app needs, which open no way out of the app's own code. */
export const allowedBuiltins: readonly string[] = [
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'console', 'crypto', 'diagnostics_channel', 'events', 'fs', 'fs/promises', 'os',
  'path', 'path/posix', 'perf_hooks', 'process', 'querystring', 'stream', 'stream/consumers', 'stream/promises', 'stream/web',
  'string_decoder', 'timers', 'timers/promises', 'url', 'util', 'util/types', 'zlib',
];

/** The built-ins a web app has no business with, and what to do instead (like Python's blocked calls). */
const guardRails: Record<string, string> = {
  child_process: 'Starting processes is not available to apps.',
  worker_threads: 'Threads that run other code are not available to apps; use async functions.',
  vm: 'Running code from strings is not available to apps; write the code as functions.',
  cluster: 'The platform runs and scales your app; it cannot fork itself.',
  module: 'Loading code dynamically (createRequire, register) is not available; import what you need directly.',
  inspector: 'The inspector would open a debugger into the process; it is not available.',
  'inspector/promises': 'The inspector would open a debugger into the process; it is not available.',
  v8: 'V8 internals (heap snapshots, flags) are not available to apps.',
  wasi: 'WASI is not available to apps.',
  repl: 'A REPL needs a terminal that apps do not have.',
  trace_events: 'Tracing is not available to apps.',
};

const networkHint = ' Use the built-in fetch() for outbound HTTP; the platform serves your app, so it opens no ports itself.';
const packageHints: [RegExp, string][] = [
  [/^(express|fastify|koa|@koa\/.*|restify|@nestjs\/.*|elysia)$/, ' This platform runs Hono apps: port the routes to Hono (`app.get("/", (c) => c.json(...))`).'],
  [/^(axios|node-fetch|got|superagent|undici|request)$/, ' Use the built-in fetch(): `await fetch(url)`.'],
  [/^(lodash|lodash-es|underscore|ramda)$/, ' Use the language and the standard library instead (Array, Object, structuredClone).'],
  [/^(dotenv)$/, ' Set env vars in the app\'s settings; they arrive in process.env.'],
  [/^(mongoose)$/, ' Use the mongodb driver, which is available: `import { MongoClient } from "mongodb"`.'],
  [/^(pg|mysql2?|redis|ioredis|sqlite3|better-sqlite3|prisma|@prisma\/client)$/, ' The platform gives your app a MongoDB database through the mongodb driver (PLATFORM_MONGO_URI).'],
  [/^(@hono\/.+)$/, ' Only some @hono packages are in the runner image.'],
];

function builtinMessage(fact: ModuleImport, name: string): string | undefined {
  const top = name.split('/')[0] ?? name;
  const rail = guardRails[name] ?? guardRails[top];
  if (rail) return `Import of node:${name} is not allowed. ${rail}`;
  if (allowedBuiltins.includes(name)) return undefined;
  if (['net', 'dgram', 'http', 'https', 'http2', 'tls', 'dns', 'dns/promises'].includes(name)) return `Import of node:${name} is not allowed.${networkHint}`;
  return `Import of ${fact.specifier} is not allowed: apps may use ${allowedBuiltins.map((b) => `node:${b}`).join(', ')}.`;
}

export function importFindings(file: string, imports: readonly ModuleImport[], files: ReadonlySet<string>, allowedPackages: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const fact of imports) {
    // Erased by the compiler: never loaded, whatever it names.
    if (fact.typeOnly) continue;
    const target = resolveImport(fact.specifier, file, files);
    switch (target.kind) {
      case 'file':
        break;
      case 'missing':
        findings.push(finding(file, 'import-unresolved', `${fact.specifier} is not in the project (looked for ${target.tried.slice(0, 4).join(', ')}…); check the file name.`, fact));
        break;
      case 'outside':
        findings.push(finding(file, 'import-unresolved', `${fact.specifier} points outside the project; import files of the project with a relative path such as "./lib/util.js".`, fact));
        break;
      case 'url':
        findings.push(finding(file, 'import-not-allowed', `Import of ${fact.specifier} is not allowed: ${target.scheme}: imports are not loaded; the runner has the allow-listed packages (${allowedPackages.join(', ')}).`, fact));
        break;
      case 'builtin': {
        const message = builtinMessage(fact, target.name);
        if (message) findings.push(finding(file, 'import-not-allowed', message, fact));
        break;
      }
      case 'package': {
        if (allowedPackages.includes(target.name)) break;
        const hint = packageHints.find(([pattern]) => pattern.test(target.name))?.[1]
          ?? ` The runner image has ${allowedPackages.join(', ')}; ask an admin, or use one of those.`;
        findings.push(finding(file, 'import-not-allowed', `Import of ${target.name} is not allowed.${hint}`, fact));
        break;
      }
    }
  }
  return findings;
}

const referenceMessages: Record<ScriptReference['kind'], (name: string) => string> = {
  eval: () => '`eval` runs code from a string and is not allowed; parse the value instead (JSON.parse, Number).',
  'function-constructor': () => '`Function(...)` builds code from a string and is not allowed; write the function instead.',
  native: (name) => `\`${name}\` loads native code and is not allowed.`,
  'computed-import': () => '`import()` of a computed name loads code chosen at run time and is not allowed; import a literal path such as import("./routes.js").',
  require: () => '`require` does not exist in ES modules, which the runner loads; use `import … from "…"`.',
};

export function referenceFindings(file: string, references: readonly ScriptReference[]): Finding[] {
  return references.map((fact) => finding(file, 'blocked-name', referenceMessages[fact.kind](fact.name), fact));
}

/** Why the entry module cannot be served, or undefined when it exports an app (or something the runner judges). */
export function appFinding(entry: ScriptFacts): Finding | undefined {
  if (entry.error || entry.failure) return undefined;
  const exported = entry.defaultExport;
  if (exported?.verdict === 'not-app') {
    return finding(entry.path, 'app-missing', `The default export is ${exported.what ?? 'not an app'}; export a Hono app (\`export default app\`) or an object with a fetch(request) method.`, exported);
  }
  if (exported) return undefined;
  const binding = entry.appBindings[0];
  if (binding) return finding(entry.path, 'app-missing', `The runner serves the default export; add \`export default ${binding.name}\`.`, binding);
  return finding(entry.path, 'app-missing', 'The entrypoint has no default export. Create `const app = new Hono()` and add `export default app` (or export an object with a fetch(request) method).');
}

export function isScript(path: string): boolean {
  const lower = path.toLowerCase();
  return scriptExtensions.some((extension) => lower.endsWith(extension));
}
