/**
 * What a project may contain: the import allow-lists (Python modules, npm packages) and the limits. The API lets an admin change
 * them; these are the defaults. The allow-list starts from the original platform's, keeps only what
 * the runner image actually has, and adds standard-library modules that ordinary apps need. Modules
 * such as `os` and `sys` stay allowed for `os.environ` and friends, while their escape hatches
 * (`os.system`, `os.exec*`, `sys.modules`, ...) are blocked by name; see ARCHITECTURE.md for what is
 * left to the pod boundary.
 */
export interface ValidationLimits {
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

export interface ValidationRules {
  /** Python: dotted module names; an entry allows itself and its submodules (`google.auth` allows `google.auth.jwt`). */
  readonly allowedImports: readonly string[];
  /** TypeScript: npm packages (and their subpaths) a module may import: the Node runner image's (runner-node/package.json). */
  readonly allowedPackages: readonly string[];
  readonly limits: ValidationLimits;
  /** Lower-case file extensions, with the dot. */
  readonly allowedExtensions: readonly string[];
}

export const defaultAllowedImports: readonly string[] = [
  // From the original platform's list, where the runner image has the package.
  'fastapi', 'pydantic', 'typing', 'datetime', 'json', 'math', 'random', 'string', 'collections', 'itertools',
  'functools', 'operator', 're', 'uuid', 'hashlib', 'base64', 'urllib', 'fasthtml', 'starlette', 'os', 'sys',
  'pathlib', 'time', 'enum', 'dataclasses', 'decimal', 'html', 'http', 'copy', 'textwrap', 'calendar', 'locale',
  'secrets', 'statistics', 'pymongo', 'bson', 'jinja2', 'httpx',
  // Standard library that everyday apps import and that opens no escape hatch.
  'asyncio', 'contextlib', 'logging', 'hmac', 'abc', 'bisect', 'heapq', 'fractions', 'numbers', 'zoneinfo', 'io',
  'csv', 'difflib', 'pprint', 'ipaddress', 'unicodedata', 'warnings', 'traceback', 'types', 'typing_extensions',
  'email', 'annotated_types',
];

/** What the Node runner image installs for apps (runner-node/package.json); bson comes with mongodb. */
export const defaultAllowedPackages: readonly string[] = [
  'hono', '@hono/node-server', '@hono/zod-openapi', '@hono/zod-validator', '@hono/swagger-ui', 'zod', 'mongodb', 'bson',
];

export const defaultLimits: ValidationLimits = { maxFiles: 50, maxFileBytes: 100 * 1024, maxTotalBytes: 500 * 1024 };

export const defaultAllowedExtensions: readonly string[] = ['.py', '.ts', '.tsx', '.mts', '.jsx', '.js', '.mjs', '.css', '.svg', '.html', '.json', '.txt', '.md'];

export const defaultRules: ValidationRules = {
  allowedImports: defaultAllowedImports,
  allowedPackages: defaultAllowedPackages,
  limits: defaultLimits,
  allowedExtensions: defaultAllowedExtensions,
};
