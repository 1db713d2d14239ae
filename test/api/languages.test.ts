/**
 * Apps carry a language, fixed at creation: from a template, from the files (the first of app.py,
 * app.ts, main.ts), or given; it is shown in lists, keeps every draft's entrypoint one its runner
 * imports, and picks the runner image of the app's manifests.
 */
import test from 'ava';
import { newApp, signUp, startApi } from '../helpers/api.js';

const honoApp = "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => c.text('hi'));\nexport default app;\n";

test('a TypeScript app from a template is language typescript, framework hono, entrypoint app.ts; the list says so', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const ts = await newApp(user, { name: 'Hono', templateId: 'builtin-hello-hono' });
  t.like(ts, { language: 'typescript', framework: 'hono', draft: { entrypoint: 'app.ts' } });
  const py = await newApp(user, { name: 'Py', templateId: 'builtin-hello-fastapi' });
  t.is(py.language, 'python');
  const list = await user.client.get('/api/apps');
  t.deepEqual(Object.fromEntries(list.body.apps.map((a: { name: string; language: string }) => [a.name, a.language])), { Hono: 'typescript', Py: 'python' });
});

test('without an entrypoint it is the first of app.py, app.ts, main.ts among the files; a blank TypeScript app is a Hono app', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const main = await newApp(user, { name: 'Main', files: { 'main.ts': honoApp, 'lib.ts': 'export const x = 1;\n' } });
  t.like(main, { language: 'typescript', draft: { entrypoint: 'main.ts' } });
  const both = await newApp(user, { name: 'Both', files: { 'app.ts': honoApp, 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n' } });
  t.like(both, { language: 'python', draft: { entrypoint: 'app.py' } });
  const blank = await newApp(user, { name: 'Blank TS', language: 'typescript' });
  t.like(blank, { language: 'typescript', draft: { entrypoint: 'app.ts' } });
  t.regex(blank.draft.files['app.ts'], /new Hono\(\)/);
  const validated = await user.client.post('/api/validate', { files: blank.draft.files, entrypoint: 'app.ts' });
  t.like(validated.body, { valid: true, framework: 'hono' });
});

test('fails when the language and the entrypoint or template disagree, and when a draft would change the language', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const mixed = await user.client.post('/api/apps', { name: 'Mixed', language: 'typescript', files: { 'app.py': 'x = 1\n' }, entrypoint: 'app.py' });
  t.is(mixed.status, 400);
  t.deepEqual(mixed.body.error.details.findings.map((f: { code: string }) => f.code), ['entrypoint-not-typescript']);
  const wrongTemplate = await user.client.post('/api/apps', { name: 'Wrong', language: 'python', templateId: 'builtin-hello-hono' });
  t.is(wrongTemplate.status, 400);
  t.regex(wrongTemplate.body.error.message, /The template is a typescript app/);
  const bogus = await user.client.post('/api/apps', { name: 'Bogus', language: 'rust' });
  t.is(bogus.status, 400);

  const app = await newApp(user, { name: 'Fixed', templateId: 'builtin-hello-hono' });
  const switched = await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n' }, entrypoint: 'app.py' });
  t.is(switched.status, 400);
  t.deepEqual(switched.body.error.details.findings.map((f: { code: string }) => f.code), ['entrypoint-not-typescript']);
  const kept = await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: { 'main.ts': honoApp }, entrypoint: 'main.ts' });
  t.is(kept.status, 200);
  t.true(kept.body.valid);
  t.is((await user.client.get(`/api/apps/${app.id}`)).body.language, 'typescript');
});

test('a clone keeps the language; the draft\'s manifests run the Node runner image', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Source', templateId: 'builtin-todo-openapi-hono' });
  const clone = await user.client.post(`/api/apps/${app.id}/clone`, {});
  t.is(clone.body.language, 'typescript');
  const manifests = await user.client.get(`/api/apps/${app.id}/manifests?of=draft`);
  t.is(manifests.status, 200);
  const deployment = manifests.body.objects.find((o: { kind: string }) => o.kind === 'Deployment');
  t.is(deployment.spec.template.spec.containers[0].image, 'fastapi-platform/runner-node:0.1.0');
  t.false(deployment.spec.template.spec.containers[0].env.some((e: { name: string }) => e.name === 'PYTHONDONTWRITEBYTECODE'));
  const python = await newApp(user, { name: 'Py', templateId: 'builtin-hello-fastapi' });
  const pyDeployment = (await user.client.get(`/api/apps/${python.id}/manifests?of=draft`)).body.objects.find((o: { kind: string }) => o.kind === 'Deployment');
  t.is(pyDeployment.spec.template.spec.containers[0].image, 'fastapi-platform/runner:0.1.0');
});

test('templates say their language, and the gallery filters Hono ones', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const all = (await user.client.get('/api/templates')).body.templates as { id: string; language: string; framework: string }[];
  t.is(all.find((x) => x.id === 'builtin-hello-hono')?.language, 'typescript');
  t.is(all.find((x) => x.id === 'builtin-hello-fastapi')?.language, 'python');
  const hono = (await user.client.get('/api/templates?framework=hono')).body.templates as { language: string }[];
  t.true(hono.length >= 4);
  t.true(hono.every((x) => x.language === 'typescript'));
});
