/**
 * Imports the user's entry module (through the TypeScript hooks) and finds what serves it: the default
 * export, a Hono app or any object with a web-standard `fetch(request)`. A failure to import is located
 * in the project: esbuild's errors carry their place, V8's syntax errors are located by `node --check`
 * on each compiled file (Node 20 reports none on import), a missing package by its import line, and
 * anything else by the innermost stack frame inside the project.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { needsCompile, sourceExtensions, transformOptions, v8Problem } from './compile.js';
import { errorParts, inside, locateStack, type Place } from './failure.js';

export interface FetchHandler {
  fetch(request: Request, env?: unknown, context?: unknown): Response | Promise<Response>;
}

export interface LoadedApp {
  readonly app: FetchHandler;
  readonly framework: 'hono' | 'fetch';
}

export class AppNotFound extends Error {
  constructor(message: string, readonly line: number | null = null) {
    super(message);
    this.name = 'AppNotFound';
  }
}

const hasFetch = (value: unknown): value is FetchHandler =>
  typeof value === 'object' && value !== null && typeof (value as { fetch?: unknown }).fetch === 'function';

/** A Hono instance (or OpenAPIHono), known by its shape: the runner's hono may not be the one it came from. */
export function isHono(value: unknown): boolean {
  return hasFetch(value) && Array.isArray((value as { routes?: unknown }).routes) && typeof (value as { route?: unknown }).route === 'function';
}

function lineOf(file: string, pattern: RegExp): number | null {
  try {
    const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => pattern.test(line));
    return index < 0 ? null : index + 1;
  } catch {
    return null;
  }
}

export function checkEntrypoint(codeDir: string, entrypoint: string): string {
  if (!sourceExtensions.some((extension) => entrypoint.endsWith(extension))) {
    throw new AppNotFound(`ENTRYPOINT ${JSON.stringify(entrypoint)} must be a ${sourceExtensions.join(', ')} file`);
  }
  const file = join(codeDir, entrypoint);
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppNotFound(`the entrypoint ${entrypoint} is not in the project`);
  return file;
}

export async function importApp(codeDir: string, entrypoint: string): Promise<LoadedApp> {
  const file = checkEntrypoint(codeDir, entrypoint);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const candidate = module.default;
  if (hasFetch(candidate)) {
    const app = candidate;
    return { app, framework: isHono(app) ? 'hono' : 'fetch' };
  }
  const named = Object.entries(module).find(([, value]) => hasFetch(value))?.[0];
  if (named) {
    throw new AppNotFound(`${entrypoint} exports \`${named}\` but no default export; add \`export default ${named}\``, lineOf(file, new RegExp(`\\b${named}\\b`)));
  }
  if (candidate !== undefined) {
    throw new AppNotFound(`the default export of ${entrypoint} is a ${candidate === null ? 'null' : typeof candidate}, not an app; export a Hono app (\`export default app\`) or an object with a fetch(request) method`);
  }
  throw new AppNotFound(`${entrypoint} has no default export: create \`const app = new Hono()\` and add \`export default app\``, lineOf(file, /new\s+(OpenAPI)?Hono\b/));
}

function projectSources(codeDir: string, entrypoint: string, dir = codeDir): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...projectSources(codeDir, entrypoint, path));
    else if (sourceExtensions.some((extension) => name.endsWith(extension))) found.push(path);
  }
  return dir === codeDir ? [join(codeDir, entrypoint), ...found.filter((path) => path !== join(codeDir, entrypoint))] : found;
}

/** The project file and place V8 refused, for a SyntaxError that arrived without one. */
async function locateV8(error: SyntaxError, codeDir: string, entrypoint: string): Promise<Place> {
  const { transform } = await import('esbuild');
  for (const path of projectSources(codeDir, entrypoint)) {
    const source = readFileSync(path, 'utf8');
    const compiled = needsCompile(path)
      ? await transform(source, transformOptions(path, path, 'external')).catch(() => null)
      : { code: source, map: '' };
    if (!compiled) continue;
    const problem = await v8Problem(process.execPath, compiled.code, compiled.map || null);
    if (problem && problem.message === error.message) return { file: inside(path, codeDir), line: problem.line, column: problem.column };
  }
  return { file: null, line: null, column: null };
}

/** Where in the project an import failed. */
export async function locateImportFailure(error: unknown, codeDir: string, entrypoint: string): Promise<Place> {
  const tagged = (error as { fp?: { path: string; line: number | null; column: number | null } }).fp;
  if (tagged) return { file: inside(tagged.path, codeDir), line: tagged.line, column: tagged.column };
  const { stack } = errorParts(error);
  const { importer, specifier } = error as { importer?: unknown; specifier?: unknown };
  if (typeof importer === 'string' && typeof specifier === 'string') {
    const quoted = new RegExp(`['"]${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
    return { file: inside(importer, codeDir), line: lineOf(importer, quoted), column: null };
  }
  const place = locateStack(stack, codeDir);
  if (place.file || !(error instanceof SyntaxError)) return place;
  return locateV8(error, codeDir, entrypoint);
}
