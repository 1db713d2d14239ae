/**
 * Every built-in template, created and deployed through the HTTP API on the local runtime, answers
 * through the platform's proxy: GET / is 200 (with the template's promised content when it names
 * some), and each of its example requests gives what it promises. The database templates use their
 * owner's default database, on the owner's own database server, never the platform's.
 */
import test, { type ExecutionContext } from 'ava';
import { loadTemplates } from '../../templates/index.js';
import { appRequest, newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import { exampleRequest } from '../helpers/examples.js';

const templates = await loadTemplates();

/** Creates and deploys a few templates together, then checks each answers as it promises. */
async function checkBatch(t: ExecutionContext, api: TestApi, user: TestUser, batch: typeof templates): Promise<void> {
  const apps = await Promise.all(batch.map(async (template) => {
    const app = await newApp(user, { name: template.spec.title, templateId: `builtin-${template.metadata.name}` });
    const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
    t.is(deploy.status, 202, `${template.metadata.name}: ${JSON.stringify(deploy.body)}`);
    return { template, app };
  }));
  for (const { template, app } of apps) {
    const name = template.metadata.name;
    await waitForPhase(user, app.id, 'running', 60_000);
    const index = await appRequest(api, app.id, '/');
    t.is(index.status, 200, `GET / of ${name}: ${index.body.slice(0, 300)}`);
    const promised = template.spec.examples.find((e) => e.method === 'GET' && e.path === '/');
    for (const text of promised?.expect.contains ?? []) t.true(index.body.includes(text), `${name}: expected ${text} in GET /`);
    for (const example of template.spec.examples) {
      const reply = await appRequest(api, app.id, example.path, exampleRequest(example));
      t.is(reply.status, example.expect.status, `${name}: ${example.title}: ${reply.body.slice(0, 300)}`);
      for (const text of example.expect.contains) t.true(reply.body.includes(text), `${name}: ${example.title}: expected ${text}`);
    }
  }
}

test('every built-in template deploys on the local runtime and answers through the proxy', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  // Four at a time: thirteen runners importing at once on a 2-core machine shared with other test files
  // would test the machine's patience (each start has 45 s), not the templates.
  for (let i = 0; i < templates.length; i += 4) await checkBatch(t, api, user, templates.slice(i, i + 4));

  // The database templates were bound to the owner's default database (made on first use) and wrote there.
  const [database] = (await user.client.get('/api/databases')).body.databases;
  t.like(database, { name: 'default', isDefault: true });
  const collections = (await user.client.get(`/api/databases/${database.id}/collections`)).body.collections as { name: string; count: number }[];
  t.true(collections.length > 0 && collections.some((c) => c.count > 0), `the database templates wrote to their owner's database: ${JSON.stringify(collections)}`);
  const platformCollections = (await api.db.db.listCollections().toArray()).map((c) => c.name);
  t.deepEqual(collections.map((c) => c.name).filter((c) => platformCollections.includes(c)), [], 'apps never write to the platform\'s database');
});
