/**
 * The TypeScript rules, through the real engine (typescript-estree, the runner's esbuild, V8): imports
 * against the runner image's packages and the built-ins a web app may use, relative imports resolved
 * the runner's way, the guard-rails, the default export, .tsx, and projects mixing code with static files.
 */
import test from 'ava';
import { brief, registerClose, validate, bedValidator } from '../helpers/validator.js';

registerClose(test);

const app = (lines: string) => `import { Hono } from 'hono';\n${lines}\nconst app = new Hono();\nexport default app;\n`;

const importCases: [string, string, string[]][] = [
  ['the runner image\'s packages and their subpaths are allowed', "import { z } from 'zod';\nimport { OpenAPIHono } from '@hono/zod-openapi';\nimport { zValidator } from '@hono/zod-validator';\nimport { swaggerUI } from '@hono/swagger-ui';\nimport { MongoClient, ObjectId } from 'mongodb';\nimport { cors } from 'hono/cors';\nimport { HTTPException } from 'hono/http-exception';", []],
  ['built-ins a web app uses are allowed, with or without node:', "import { randomUUID } from 'node:crypto';\nimport { readFile } from 'node:fs/promises';\nimport path from 'path';\nimport { setTimeout as sleep } from 'node:timers/promises';\nimport { Buffer } from 'node:buffer';", []],
  ['a package outside the image is refused with what to use instead', "import express from 'express';\nimport axios from 'axios';\nimport _ from 'lodash';", ['app.ts:2 import-not-allowed', 'app.ts:3 import-not-allowed', 'app.ts:4 import-not-allowed']],
  ['a scoped package is checked by its scope and name', "import { Hono as H } from '@hono/node-server-x';\nimport { PrismaClient } from '@prisma/client';", ['app.ts:2 import-not-allowed', 'app.ts:3 import-not-allowed']],
  ['child_process, worker_threads and vm are guard-rails, with or without node:', "import { exec } from 'node:child_process';\nimport { Worker } from 'worker_threads';\nimport vm from 'node:vm';\nimport { createRequire } from 'node:module';", ['app.ts:2 import-not-allowed', 'app.ts:3 import-not-allowed', 'app.ts:4 import-not-allowed', 'app.ts:5 import-not-allowed']],
  ['raw sockets and servers are refused (fetch is there)', "import net from 'node:net';\nimport http from 'node:http';", ['app.ts:2 import-not-allowed', 'app.ts:3 import-not-allowed']],
  ['URL imports are refused', "import x from 'https://esm.sh/lodash';\nimport y from 'npm:left-pad';", ['app.ts:2 import-not-allowed', 'app.ts:3 import-not-allowed']],
  ['type-only imports are erased by the compiler, whatever they name', "import type { Request } from 'express';\nimport { type Foo } from 'some-types';", []],
  ['re-exports and dynamic imports with a literal are checked too', "export { default as x } from 'left-pad';\nconst lazy = () => import('node:child_process');", ['app.ts:2 import-not-allowed', 'app.ts:3 import-not-allowed']],
];

for (const [title, lines, expected] of importCases) {
  test(`imports: ${title}`, async (t) => {
    t.deepEqual(brief(await validate({ 'app.ts': app(lines) }, 'app.ts')), expected);
  });
}

test('imports: the messages say what to do instead', async (t) => {
  const result = await validate({ 'app.ts': app("import express from 'express';\nimport { exec } from 'node:child_process';\nimport http from 'node:http';\nimport axios from 'axios';") }, 'app.ts');
  const messages = result.findings.map((f) => f.message);
  t.regex(messages[0] ?? '', /Import of express is not allowed\. This platform runs Hono apps/);
  t.regex(messages[1] ?? '', /node:child_process is not allowed\. Starting processes is not available/);
  t.regex(messages[2] ?? '', /node:http is not allowed\. Use the built-in fetch\(\)/);
  t.regex(messages[3] ?? '', /Use the built-in fetch\(\)/);
});

test('relative imports resolve within the project the runner\'s way: ./x.js for x.ts, no extension, a folder index, .tsx', async (t) => {
  const files = {
    'app.ts': "import { Hono } from 'hono';\nimport { a } from './lib/a.js';\nimport { b } from './lib/b';\nimport { routes } from './routes';\nimport { Page } from './page.js';\nimport data from './data.json' with { type: 'json' };\nexport default new Hono();\n",
    'lib/a.ts': 'export const a = 1;\n',
    'lib/b.mts': 'export const b = 2;\n',
    'routes/index.ts': "import { a } from '../lib/a.js';\nexport const routes = a;\n",
    'page.tsx': 'export const Page = () => <main>hi</main>;\n',
    'data.json': '{}',
  };
  t.deepEqual(brief(await validate(files, 'app.ts')), []);
});

test('fails when a relative import names nothing in the project, or climbs out of it', async (t) => {
  const result = await validate({
    'app.ts': "import { Hono } from 'hono';\nimport { a } from './lib/a.js';\nimport { secret } from '../../etc/passwd';\nexport default new Hono();\n",
    'lib/b.ts': 'export const b = 1;\n',
  }, 'app.ts');
  t.deepEqual(brief(result), ['app.ts:2 import-unresolved', 'app.ts:3 import-unresolved']);
  t.regex(result.findings[0]?.message ?? '', /\.\/lib\/a\.js is not in the project \(looked for lib\/a\.ts/);
  t.regex(result.findings[1]?.message ?? '', /points outside the project/);
});

const blockedCases: [string, string, string[]][] = [
  ['eval', "const value = eval('1 + 1');", ['app.ts:2 blocked-name']],
  ['the Function constructor, called or new', "const f = new Function('return 1');\nconst g = Function('return 2');", ['app.ts:2 blocked-name', 'app.ts:3 blocked-name']],
  ['native bindings on process', "const b = process.binding('fs');\nprocess.dlopen({} as any, 'x.node');", ['app.ts:2 blocked-name', 'app.ts:3 blocked-name']],
  ['import() of a computed name', "const name = 'x';\nconst m = await import(`./${name}.js`);", ['app.ts:3 blocked-name']],
  ['require, which ES modules do not have', "const fs = require('fs');", ['app.ts:2 blocked-name']],
  ['a property or a local named like them is not the global', "const o = { eval: 1 };\nconst n = o.eval;\nfunction Function2() {}\nconst require = (x: string) => x;\nrequire('y');\nconst env = process.env.HOME;", []],
];

for (const [title, lines, expected] of blockedCases) {
  test(`guard-rails: ${title}`, async (t) => {
    t.deepEqual(brief(await validate({ 'app.ts': app(lines) }, 'app.ts')), expected);
  });
}

const exportCases: [string, string, string[], string | undefined][] = [
  ['a default-exported Hono app', "import { Hono } from 'hono';\nconst app = new Hono();\nexport default app;\n", [], undefined],
  ['an OpenAPIHono app, chained', "import { OpenAPIHono } from '@hono/zod-openapi';\nexport default new OpenAPIHono().basePath('/api');\n", [], undefined],
  ['an object with fetch', 'export default {\n  fetch(request: Request) {\n    return new Response("hi");\n  },\n};\n', [], undefined],
  ['`export { app as default }`', "import { Hono } from 'hono';\nconst app = new Hono();\nexport { app as default };\n", [], undefined],
  ['an app made by a function call (left to the runner)', "import { build } from './build.js';\nexport default build();\n", [], undefined],
  ['no default export, but an app: says what to add, at the app', "import { Hono } from 'hono';\n\nexport const api = new Hono();\n", ['app.ts:3 app-missing'], 'add `export default api`'],
  ['no default export and no app', "const x = 1;\nexport { x };\n", ['app.ts:1 app-missing'], 'Create `const app = new Hono()`'],
  ['a default-exported function', 'export default function handler(req: Request) {\n  return new Response("x");\n}\n', ['app.ts:1 app-missing'], 'a function'],
  ['an object without fetch', 'export default { port: 3000 };\n', ['app.ts:1 app-missing'], 'an object without a fetch method'],
  ['a number', 'export default 42;\n', ['app.ts:1 app-missing'], 'the value 42'],
];

for (const [title, source, expected, message] of exportCases) {
  test(`default export: ${title}`, async (t) => {
    const result = await validate({ 'app.ts': source, 'build.ts': "import { Hono } from 'hono';\nexport const build = () => new Hono();\n" }, 'app.ts');
    t.deepEqual(brief(result), expected);
    if (message) t.true(result.findings[0]?.message.includes(message), result.findings[0]?.message);
  });
}

test('a .tsx app with hono/jsx validates clean, and its framework is hono', async (t) => {
  const result = await validate({
    'app.tsx': "import { Hono } from 'hono';\nimport { Layout } from './layout.tsx';\nconst app = new Hono();\napp.get('/', (c) => c.html(<Layout title=\"Home\"><p>Hi</p></Layout>));\nexport default app;\n",
    'layout.tsx': "import type { Child } from 'hono/jsx';\nexport const Layout = (props: { title: string; children?: Child }) => (\n  <html><head><title>{props.title}</title></head><body>{props.children}</body></html>\n);\n",
  }, 'app.tsx');
  t.deepEqual(brief(result), []);
  t.is(result.framework, 'hono');
  t.is(result.language, 'typescript');
});

test('a project mixing .ts with static assets: browser scripts and styles are files, not modules', async (t) => {
  const result = await validate({
    'app.ts': "import { Hono } from 'hono';\nimport { helper } from './lib/helper.js';\nconst app = new Hono();\napp.get('/', (c) => c.html('<script src=\"/static/app.js\"></script>' + helper()));\nexport default app;\n",
    'lib/helper.js': "export const helper = () => '<link rel=\"stylesheet\" href=\"/static/site.css\">';\n",
    // A classic browser script: sloppy-mode code and a CDN import would be refused as a module.
    'static/app.js': "with (document) { title = 'x'; }\nvar n = 010;\nimport('https://cdn.example/lib.js');\n",
    'static/site.css': 'body { margin: 0 }\n',
    'static/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
    'README.md': '# My app\n',
  }, 'app.ts');
  t.deepEqual(brief(result), []);
});

test('a .js module the app imports is checked as the runner loads it (V8, strict)', async (t) => {
  const result = await validate({
    'app.ts': "import { Hono } from 'hono';\nimport { legacy } from './legacy.js';\nexport default new Hono().get('/', (c) => c.text(legacy()));\n",
    'legacy.js': "export function legacy() {\n  with (Math) { return String(PI); }\n}\n",
  }, 'app.ts');
  t.deepEqual(brief(result), ['legacy.js:2 syntax-error']);
  t.regex(result.findings[0]?.message ?? '', /Strict mode code may not include a with statement/);
});

test('every finding across files is reported, each with the full shape', async (t) => {
  const result = await validate({
    'app.ts': "import { Hono } from 'hono';\nimport { exec } from 'node:child_process';\nimport { a } from './a.js';\nimport { b } from './b.js';\nconst app = new Hono();\n",
    'a.ts': "export const a = eval('1');\n",
    'b.ts': 'export const b = (;\n',
  }, 'app.ts');
  t.deepEqual(brief(result), ['a.ts:1 blocked-name', 'app.ts:2 import-not-allowed', 'app.ts:5 app-missing', 'b.ts:1 syntax-error']);
  for (const f of result.findings) {
    t.deepEqual(Object.keys(f).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    t.true(f.endLine > f.line || f.endColumn > f.column);
  }
});

test('the language follows the entrypoint, or is given; a TypeScript app needs a script entrypoint', async (t) => {
  const validator = await bedValidator();
  const python = await validator.validate({ files: { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n', 'helper.ts': 'const x = (;\n' }, entrypoint: 'app.py' });
  t.is(python.language, 'python');
  t.deepEqual(brief(python), []);
  const wrong = await validator.validate({ files: { 'app.py': 'x = 1\n' }, entrypoint: 'app.py', language: 'typescript' });
  t.deepEqual(brief(wrong), ['app.py:1 entrypoint-not-typescript']);
  const ts = await validator.validate({ files: { 'main.ts': 'export default { fetch: () => new Response("x") };\n' }, entrypoint: 'main.ts' });
  t.is(ts.language, 'typescript');
  t.true(ts.valid);
});

test('incremental: after a one-file edit only that file is analysed again', async (t) => {
  const validator = await bedValidator();
  const files: Record<string, string> = { 'app.ts': "import { Hono } from 'hono';\nimport { n } from './n0.js';\nexport default new Hono().get('/', (c) => c.json(n));\n" };
  for (let i = 0; i < 10; i++) files[`n${i}.ts`] = `export const n = ${i} as number; // ${'x'.repeat(i)} ${Math.random()}\n`;
  const cold = await validator.validate({ files, entrypoint: 'app.ts' });
  t.is(cold.stats.analyzed, 11);
  const edited = await validator.validate({ files: { ...files, 'n3.ts': 'export const n = 33;\n' }, entrypoint: 'app.ts' });
  t.is(edited.stats.analyzed, 1);
  t.is(edited.stats.cached, 10);
});
