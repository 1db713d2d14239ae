/**
 * The module hooks (node:module register()) that let Node 20 run a TypeScript project as it is:
 * - resolve: a bare specifier (`hono`, `zod`) comes from the runner's own node_modules, the allow-listed
 *   packages of the image, never from the project; a relative one inside the project may name the
 *   `.ts` file as `./x.js` (TypeScript's convention), or leave the extension out (`./x`, `./dir`).
 * - load: project files ending in .ts/.tsx/.mts/.jsx are compiled by esbuild (types stripped, no
 *   type-check) with an inline source map, so stack traces name the .ts file and line; project
 *   .js/.mjs files are ES modules whatever the nearest package.json says.
 * An esbuild error becomes a SyntaxError carrying the file, line and column (`fp`), which survives the
 * trip from the hooks' thread to the runner's.
 */
import { realpathSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import { esbuildProblem, needsCompile, transformOptions } from './compile.js';

interface ResolveContext { parentURL?: string | undefined; conditions: string[]; importAttributes: Record<string, string> }
interface ResolveResult { url: string; format?: string | null | undefined; shortCircuit?: boolean }
type NextResolve = (specifier: string, context?: Partial<ResolveContext>) => Promise<ResolveResult>;
interface LoadContext { format?: string | null | undefined; conditions: string[]; importAttributes: Record<string, string> }
interface LoadResult { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }
type NextLoad = (url: string, context?: Partial<LoadContext>) => Promise<LoadResult>;

export interface HooksData {
  /** The project directory as a file URL ending in '/'. */
  readonly codeUrl: string;
  /** Start esbuild now, while the runner's own modules load (the entry needs compiling). */
  readonly warmCompiler: boolean;
}

let codeUrl = 'file:///code/';
/** Bare specifiers resolve as if imported by the runner itself: from its node_modules. */
const runnerUrl = import.meta.url;
const probes = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx', '/index.ts', '/index.tsx', '/index.js', '/index.mjs'];

let esbuild: Promise<typeof Esbuild> | undefined;

function compiler(): Promise<typeof Esbuild> {
  esbuild ??= import('esbuild');
  return esbuild;
}

export function initialize(data: HooksData): void {
  codeUrl = data.codeUrl;
  // esbuild's service process starts on its first call: start it while the runner's thread is busy.
  if (data.warmCompiler) void compiler().then((e) => e.transform('', { loader: 'ts' })).catch(() => undefined);
}

function isFile(url: URL): boolean {
  try {
    return statSync(url).isFile();
  } catch {
    return false;
  }
}

/** `./x.js` naming `x.ts`, `./x` naming `x.ts` or `x/index.ts`: the file a relative import means. */
function projectFile(specifier: string, parentURL: string): string | undefined {
  const target = new URL(specifier, parentURL);
  if (!target.href.startsWith(codeUrl)) return undefined;
  // Kept as named, never resolved through symlinks: in a pod each file is a link into the volume's
  // `..data/` directory, which would otherwise name every file in stack traces.
  if (isFile(target)) return target.href;
  const href = target.href.replace(/[?#].*$/, '');
  const stem = href.replace(/\.(js|mjs|jsx)$/, '');
  if (stem !== href) {
    for (const extension of ['.ts', '.mts', '.tsx']) if (isFile(new URL(`${stem}${extension}`))) return `${stem}${extension}`;
  }
  for (const suffix of probes) if (isFile(new URL(`${href.replace(/\/$/, '')}${suffix}`))) return `${href.replace(/\/$/, '')}${suffix}`;
  return undefined;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  const parent = context.parentURL;
  if (specifier.startsWith(codeUrl)) {
    const found = projectFile(specifier, codeUrl);
    if (found) return { url: found, shortCircuit: true };
  }
  if (parent?.startsWith(codeUrl)) {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
      const found = projectFile(specifier, parent);
      if (found) return { url: found, shortCircuit: true };
    } else if (!specifier.startsWith('node:') && !specifier.includes(':') && !isBuiltin(specifier)) {
      return resolvePackage(specifier, parent, context, next);
    }
  }
  return next(specifier, context);
}

/** The image's packages, by real path (in development node_modules is a link into a cache). */
let packagesDir: string | undefined;

const relative = (url: string) => (url.startsWith(codeUrl) ? decodeURIComponent(url.slice(codeUrl.length)) : fileURLToPath(url));

function notFound(specifier: string, parent: string, cause?: unknown): Error {
  const error = new Error(`Cannot find package '${specifier}' imported from ${relative(parent)}: the image has the allow-listed packages only`, { cause });
  return Object.assign(error, { code: 'ERR_MODULE_NOT_FOUND' });
}

/** A package of the image, resolved as the runner would import it; nothing outside its node_modules. */
async function resolvePackage(specifier: string, parent: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  packagesDir ??= realpathSync(fileURLToPath(new URL('../node_modules/', runnerUrl)));
  let resolved: ResolveResult;
  try {
    resolved = await next(specifier, { ...context, parentURL: runnerUrl });
  } catch (error) {
    const failure = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? notFound(specifier, parent, error) : error;
    if (failure instanceof Error) {
      failure.message = failure.message.replace(/ imported from \S+$/, ` imported from ${relative(parent)}`);
      // Where the import is, for the failure line (these properties survive the trip to the runner's thread).
      Object.assign(failure, { importer: fileURLToPath(parent), specifier });
    }
    throw failure;
  }
  if (resolved.url.startsWith('file:') && !realpathSync(fileURLToPath(resolved.url)).startsWith(`${packagesDir}/`)) {
    throw Object.assign(notFound(specifier, parent), { importer: fileURLToPath(parent), specifier });
  }
  return resolved;
}

async function compile(url: string, source: string): Promise<string> {
  const { transform } = await compiler();
  const path = fileURLToPath(url);
  try {
    return (await transform(source, transformOptions(path, path, 'inline'))).code;
  } catch (error) {
    const first = (error as Esbuild.TransformFailure).errors?.[0];
    if (!first) throw error;
    const problem = esbuildProblem(first);
    throw Object.assign(new SyntaxError(problem.message), { fp: { ...problem, path } });
  }
}

export async function load(url: string, context: LoadContext, next: NextLoad): Promise<LoadResult> {
  if (!url.startsWith(codeUrl)) return next(url, context);
  if (needsCompile(url)) {
    const source = await readFile(new URL(url), 'utf8');
    return { format: 'module', source: await compile(url, source), shortCircuit: true };
  }
  if (/\.(js|mjs)$/.test(url)) {
    return { format: 'module', source: await readFile(new URL(url), 'utf8'), shortCircuit: true };
  }
  return next(url, context);
}

