/**
 * Every built-in template, created and deployed through the HTTP API on the local runtime, answers
 * through the platform's proxy: GET / is 200 (with the template's promised content when it names
 * some), and each of its example requests gives what it promises. The database templates use their
 * owner's default database, on the owner's own database server, never the platform's.
 */
import test from 'ava';
import { loadTemplates } from '../../templates/index.js';
import { appRequest, newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';
import { exampleRequest } from '../helpers/examples.js';

const templates = await loadTemplates();

test('every built-in template deploys on the local runtime and answers through the proxy', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  // In waves of six: seventeen apps importing their frameworks at once on two cores would be a test of
  // the machine, not of the platform.
  const deployed = async (template: (typeof templates)[number]) => {
    const app = await newApp(user, { name: template.spec.title, templateId: `builtin-${template.metadata.name}` });
    const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
    t.is(deploy.status, 202, `${template.metadata.name}: ${JSON.stringify(deploy.body)}`);
    return { template, app };
  };
  for (let wave = 0; wave < templates.length; wave += 6) {
    for (const { template, app } of await Promise.all(templates.slice(wave, wave + 6).map(deployed))) {
      const name = template.metadata.name;
      await waitForPhase(user, app.id, 'running', 120_000).catch(async (error: Error) => {
        const logs = (await user.client.get(`/api/apps/${app.id}/logs`)).body as { lines: { text: string }[] };
        throw new Error(`${name}: ${error.message}\n${logs.lines.map((l) => l.text).join('\n')}`);
      });
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

  // The database templates were bound to the owner's default database (made on first use) and wrote there.
  const [database] = (await user.client.get('/api/databases')).body.databases;
  t.like(database, { name: 'default', isDefault: true });
  const collections = (await user.client.get(`/api/databases/${database.id}/collections`)).body.collections as { name: string; count: number }[];
  t.true(collections.length > 0 && collections.some((c) => c.count > 0), `the database templates wrote to their owner's database: ${JSON.stringify(collections)}`);
  const platformCollections = (await api.db.db.listCollections().toArray()).map((c) => c.name);
  t.deepEqual(collections.map((c) => c.name).filter((c) => platformCollections.includes(c)), [], 'apps never write to the platform\'s database');
});
