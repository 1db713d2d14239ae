/** Templates over HTTP: seeded built-ins, your own templates, hide/unhide, admin management, safe re-seeding. */
import test from 'ava';
import { loadTemplates } from '../../templates/index.js';
import { newApp, signUp, startApi } from '../helpers/api.js';

test('every built-in template is seeded and listed; details carry files and examples', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const builtins = await loadTemplates();
  const list = (await user.client.get('/api/templates')).body.templates;
  t.is(list.filter((x: { scope: string }) => x.scope === 'global').length, builtins.length);
  const hello = (await user.client.get('/api/templates/builtin-hello-fastapi')).body;
  t.is(hello.framework, 'fastapi');
  t.true('app.py' in hello.files);
  t.true(hello.examples.length > 0);
  const fasthtml = (await user.client.get('/api/templates?framework=fasthtml')).body.templates;
  t.true(fasthtml.length > 0 && fasthtml.every((x: { framework: string }) => x.framework === 'fasthtml'));
});

test('save an app as a template, edit it, hide it, unhide it, start a new app from it', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Base', templateId: 'builtin-hello-fastapi' });
  const saved = await user.client.post('/api/templates', { title: 'My starter', description: 'What I always start with', complexity: 'beginner', tags: ['mine'], fromAppId: app.id });
  t.is(saved.status, 201);
  t.is(saved.body.scope, 'mine');
  const edited = await user.client.patch(`/api/templates/${saved.body.id}`, { description: 'Better words' });
  t.is(edited.body.description, 'Better words');
  t.is((await user.client.post(`/api/templates/${saved.body.id}/hide`)).body.hidden, true);
  t.false((await user.client.get('/api/templates')).body.templates.some((x: { id: string }) => x.id === saved.body.id));
  const withHidden = (await user.client.get('/api/templates?includeHidden=true')).body.templates;
  t.true(withHidden.find((x: { id: string }) => x.id === saved.body.id)?.hidden);
  t.false((await user.client.post(`/api/templates/${saved.body.id}/unhide`)).body.hidden);
  t.true((await user.client.get('/api/templates?scope=mine')).body.templates.some((x: { id: string }) => x.id === saved.body.id));
  const fromMine = await newApp(user, { name: 'From mine', templateId: saved.body.id });
  t.deepEqual(fromMine.draft.files, app.draft.files);
});

test('fails when a user edits or deletes a global template; a duplicate title; a template that does not run', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const edit = await user.client.patch('/api/templates/builtin-hello-fastapi', { title: 'Mine now' });
  t.is(edit.status, 403);
  t.regex(edit.body.error.message, /managed by admins/);
  t.is((await user.client.delete('/api/templates/builtin-hello-fastapi')).status, 403);
  const files = { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
  t.is((await user.client.post('/api/templates', { title: 'Twice', description: 'x', files })).status, 201);
  t.is((await user.client.post('/api/templates', { title: 'twice', description: 'x', files })).status, 409);
  const broken = await user.client.post('/api/templates', { title: 'Broken', description: 'x', files: { 'app.py': 'def (\n' } });
  t.is(broken.status, 400);
  t.regex(broken.body.error.message, /must be a working app/);
});

test('an admin edits and hides a global template; re-seeding keeps the edit and records the pending update', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const user = await signUp(api);
  const edited = await admin.client.patch('/api/admin/templates/builtin-hello-fastapi', { description: 'Edited by the admin' });
  t.is(edited.status, 200);
  t.true(edited.body.editedByAdmin);
  const builtins = await loadTemplates();
  const changed = builtins.map((b) => (b.metadata.name === 'hello-fastapi' ? { ...b, spec: { ...b.spec, title: 'Hello FastAPI, new release' } } : b));
  const seeded = await api.services.templates.seed(changed);
  t.is(seeded.updated, 0);
  const after = (await admin.client.get('/api/admin/templates')).body.templates.find((x: { id: string }) => x.id === 'builtin-hello-fastapi');
  t.is(after.description, 'Edited by the admin');
  t.is(after.title, 'Hello FastAPI');
  t.true(after.builtinUpdatePending);
  // An untouched built-in is updated by the new release.
  const other = builtins.map((b) => (b.metadata.name === 'todo-api' ? { ...b, spec: { ...b.spec, title: 'To-do API v2' } } : b));
  t.is((await api.services.templates.seed(other)).updated, 1);
  t.is((await user.client.get('/api/templates/builtin-todo-api')).body.title, 'To-do API v2');
  // Hidden for everyone.
  await admin.client.patch('/api/admin/templates/builtin-todo-api', { hidden: true });
  t.is((await user.client.get('/api/templates/builtin-todo-api')).status, 404);
});

test('a built-in an admin deleted does not come back on re-seeding', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  t.is((await admin.client.delete('/api/admin/templates/builtin-htmx-counter')).status, 204);
  await api.services.templates.seed(await loadTemplates());
  t.false((await admin.client.get('/api/templates')).body.templates.some((x: { id: string }) => x.id === 'builtin-htmx-counter'));
});
