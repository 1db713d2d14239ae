/**
 * Every built-in template is a valid AppTemplate whose requirements its runner's image covers (Python's
 * requirements.txt, or the Node runner's package.json), and runs in that real runner from a read-only
 * directory: / answers 200 (and /docs for FastAPI), and its
 * example requests give what they promise. Database templates get their own database on the bed's
 * MongoDB server and write and read through their own routes.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { loadTemplates, parseTemplate } from '../../templates/index.js';
import { repoRoot } from '../bed/paths.js';
import { mongoUri, uniqueName } from '../helpers/bed.js';
import { sendExample } from '../helpers/examples.js';
import { startRunner } from '../helpers/runner.js';

const templates = await loadTemplates();

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

test('there are at least ten templates covering both frameworks, multi-file, database, static, form and HTMX', (t) => {
  t.true(templates.length >= 10);
  const has = (predicate: (tpl: (typeof templates)[number]) => boolean) => templates.some(predicate);
  t.true(has((x) => x.spec.framework === 'fastapi' && Object.keys(x.spec.files).length === 1));
  t.true(has((x) => x.spec.framework === 'fasthtml' && Object.keys(x.spec.files).length === 1));
  t.true(has((x) => x.spec.framework === 'fastapi' && Object.keys(x.spec.files).length > 1));
  t.true(has((x) => x.spec.framework === 'fasthtml' && Object.keys(x.spec.files).length > 1));
  t.true(has((x) => x.spec.database && x.spec.framework === 'fastapi'));
  t.true(has((x) => x.spec.database && x.spec.framework === 'fasthtml'));
  t.true(has((x) => Object.keys(x.spec.files).some((p) => p.startsWith('static/'))));
  t.true(has((x) => x.spec.tags.includes('form')));
  t.true(has((x) => x.spec.tags.includes('htmx')));
  t.true(has((x) => x.spec.tags.includes('json-api')));
});

test('at least four TypeScript templates: a JSON API, a zod-validated CRUD API with OpenAPI, an HTMX page with static files, and one with a database', (t) => {
  const ts = templates.filter((x) => x.spec.language === 'typescript');
  t.true(ts.length >= 4);
  t.true(ts.every((x) => x.spec.framework === 'hono'));
  t.true(ts.some((x) => x.spec.tags.includes('json-api') && Object.keys(x.spec.files).length === 1));
  t.true(ts.some((x) => x.spec.tags.includes('openapi') && x.spec.requirements.includes('@hono/zod-openapi')));
  t.true(ts.some((x) => x.spec.tags.includes('htmx') && Object.keys(x.spec.files).some((p) => p.startsWith('static/'))));
  t.true(ts.some((x) => x.spec.database && x.spec.requirements.includes('mongodb')));
});

test("every template's requirements are in its runner's image", async (t) => {
  const pinned = new Set((await readFile(`${repoRoot}runner/requirements.txt`, 'utf8'))
    .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => normalize(l.split('==')[0] ?? '')));
  const packages = Object.keys((JSON.parse(await readFile(`${repoRoot}runner-node/package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  for (const template of templates) {
    for (const requirement of template.spec.requirements) {
      if (template.spec.language === 'typescript') t.true(packages.includes(requirement), `${template.metadata.name} needs ${requirement}`);
      else t.true(pinned.has(normalize(requirement)), `${template.metadata.name} needs ${requirement}`);
    }
  }
});

test('fails when a Hono template says it is Python, or a FastAPI one TypeScript', (t) => {
  const text = (language: string, framework: string) => `apiVersion: fastapi-platform.io/v1
kind: AppTemplate
metadata: { name: mixed }
spec:
  title: Mixed up
  description: A template whose language and framework disagree.
  language: ${language}
  framework: ${framework}
  complexity: beginner
  requirements: [hono]
  entrypoint: app.ts
  files: { app.ts: "export default {}" }
  examples: [{ title: x, method: GET, path: /, expect: { status: 200 } }]
`;
  t.throws(() => parseTemplate(text('python', 'hono'), 'a.yaml'), { message: /spec\.framework: Hono templates are TypeScript/ });
  t.throws(() => parseTemplate(text('typescript', 'fastapi'), 'b.yaml'), { message: /spec\.framework/ });
  t.is(parseTemplate(text('typescript', 'hono'), 'c.yaml').spec.entrypoint, 'app.ts');
});

test('fails when a template is malformed, naming the file and each bad path', (t) => {
  const error = t.throws(() => parseTemplate(`apiVersion: fastapi-platform.io/v1
kind: AppTemplate
metadata: { name: Bad_Name }
spec:
  title: x
  description: short
  framework: django
  complexity: beginner
  requirements: [fastapi]
  entrypoint: main.py
  files: { "../escape.py": "" }
  examples: []
`, 'bad.yaml'));
  const message = error?.message ?? '';
  t.regex(message, /^bad\.yaml: not a valid AppTemplate/);
  for (const path of ['metadata.name', 'spec.title', 'spec.description', 'spec.framework', 'spec.files.../escape.py', 'spec.examples']) {
    t.true(message.includes(`  ${path}:`), `${path} in\n${message}`);
  }
});

for (const template of templates) {
  test(`template ${template.metadata.name} runs read-only and its examples answer as promised`, async (t) => {
    const env: Record<string, string> = {};
    let dbName: string | undefined;
    if (template.spec.database) {
      dbName = uniqueName('tpl').replace(/-/g, '_');
      const uri = new URL(mongoUri());
      uri.pathname = `/${dbName}`;
      env.PLATFORM_MONGO_URI = uri.toString();
    }
    const runner = await startRunner(t, { files: template.spec.files, entrypoint: template.spec.entrypoint, env, language: template.spec.language });
    const index = await fetch(`${runner.url}/`);
    t.is(index.status, 200, `GET / of ${template.metadata.name}`);
    if (template.spec.framework === 'fastapi') t.is((await fetch(`${runner.url}/docs`)).status, 200);

    for (const example of template.spec.examples) {
      const { status, body } = await sendExample(runner.url, example);
      t.is(status, example.expect.status, `${example.title}: ${body.slice(0, 300)}`);
      for (const text of example.expect.contains) t.true(body.includes(text), `${example.title}: expected ${text} in ${body.slice(0, 300)}`);
    }

    if (dbName) {
      const client = await MongoClient.connect(mongoUri());
      t.teardown(async () => {
        await client.db(dbName).dropDatabase();
        await client.close();
      });
      const collections = await client.db(dbName).listCollections().toArray();
      const counts = await Promise.all(collections.map((c) => client.db(dbName).collection(c.name).countDocuments()));
      t.true(counts.some((n) => n > 0), `the app wrote to its database (${collections.map((c) => c.name).join(', ')})`);
    }
    t.deepEqual(runner.events().filter((e) => e.fp === 'request-exception'), [], runner.stderr());
  });
}
