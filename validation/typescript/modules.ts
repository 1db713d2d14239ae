/**
 * What an import names, resolved as the Node runner resolves it: a project file (relative, the
 * TypeScript way: `./x.js` may mean `x.ts`, `./x` may mean `x.ts` or `x/index.ts`), one of Node's
 * built-ins, or a package of the runner image. Pure and browser-safe: no Node APIs.
 */

/** Node 20's built-in modules (`module.builtinModules`), without their internal `_`-prefixed ones. */
export const nodeBuiltins: readonly string[] = [
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram',
  'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring',
  'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys',
  'test', 'timers', 'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi',
  'worker_threads', 'zlib',
];

/** Extensions the runner loads as modules, the ones it compiles first. */
export const scriptExtensions = ['.ts', '.tsx', '.mts', '.jsx', '.js', '.mjs'] as const;
export const compiledExtensions = ['.ts', '.tsx', '.mts', '.jsx'] as const;

const probes = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx', '/index.ts', '/index.tsx', '/index.js', '/index.mjs'];

export type ImportTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'missing'; readonly path: string; readonly tried: readonly string[] }
  | { readonly kind: 'outside' }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'url'; readonly scheme: string };

/** `a/b/../c` → `a/c`; null when it climbs out of the project. */
function normalize(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] ?? specifier;
}

export function resolveImport(specifier: string, importer: string, files: ReadonlySet<string>): ImportTarget {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    const base = importer.includes('/') ? importer.slice(0, importer.lastIndexOf('/') + 1) : '';
    const target = normalize(`${base}${specifier.replace(/[?#].*$/, '')}`);
    if (target === null) return { kind: 'outside' };
    if (files.has(target)) return { kind: 'file', path: target };
    const tried: string[] = [];
    const stem = target.replace(/\.(js|mjs|jsx)$/, '');
    if (stem !== target) {
      for (const extension of ['.ts', '.mts', '.tsx']) {
        tried.push(`${stem}${extension}`);
        if (files.has(`${stem}${extension}`)) return { kind: 'file', path: `${stem}${extension}` };
      }
    }
    for (const suffix of probes) {
      const candidate = `${target}${suffix}`.replace(/^\//, '');
      tried.push(candidate);
      if (files.has(candidate)) return { kind: 'file', path: candidate };
    }
    return { kind: 'missing', path: target, tried };
  }
  if (specifier.startsWith('/')) return { kind: 'outside' };
  if (specifier.startsWith('node:')) return { kind: 'builtin', name: specifier.slice(5) };
  if (nodeBuiltins.includes(specifier)) return { kind: 'builtin', name: specifier };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(specifier)?.[1];
  if (scheme) return { kind: 'url', scheme };
  return { kind: 'package', name: packageName(specifier) };
}
