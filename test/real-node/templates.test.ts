/**
 * Every built-in template, created and deployed through the HTTP API on the real node, runs as a pod
 * admitted under `enforce: restricted` and answers through Traefik at its host: GET / and each example
 * request give what the template promises. The database templates reach their tenant's own FerretDB
 * (a TenantDatabase) through cluster DNS and write to their owner's database. The test panel reaches an app through the ingress
 * with the app's Host and without the platform's credentials.
 */
import test from 'ava';
import { MongoClient } from 'mongodb';
import { labelKeys, tenantDatabaseHost, tenantDatabaseName } from '../../constructs/index.js';
import { loadTemplates } from '../../templates/index.js';
import { appDomain, newApp, signUp, waitForPhase } from '../helpers/api.js';
import { exampleRequest } from '../helpers/examples.js';
import { KubeRest } from '../helpers/kube-rest.js';
import { startNodeApi, viaIngress } from '../helpers/node.js';

const templates = await loadTemplates();

test('every built-in template runs as a restricted pod and answers through Traefik; database templates reach their database by DNS', async (t) => {
  const api = await startNodeApi(t);
  const ns = api.namespaces?.appsNamespace ?? '';
  const admin = KubeRest.admin();
  const namespace = await admin.get(`/api/v1/namespaces/${ns}`);
  t.is(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  const user = await signUp(api);
  const apps = await Promise.all(templates.map(async (template) => {
    const app = await newApp(user, { name: template.spec.title, templateId: `builtin-${template.metadata.name}` });
    const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
    t.is(deploy.status, 202, `${template.metadata.name}: ${JSON.stringify(deploy.body)}`);
    return { template, app };
  }));
  for (const { template, app } of apps) {
    const name = template.metadata.name;
    await waitForPhase(user, app.id, 'running', 180_000);
    const [pod] = await admin.list(`/api/v1/namespaces/${ns}/pods`, `${labelKeys.appId}=${app.id}`);
    const runner = (pod?.spec as { containers: { securityContext: Record<string, unknown> }[] } | undefined)?.containers[0]?.securityContext;
    t.like(runner, { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }, `${name} runs restricted`);
    let index = await viaIngress(app.id, '/');
    // Traefik learns a new route and its endpoints from its watch: give it a moment after `ready`.
    for (let i = 0; i < 50 && index.status === 404; i++) index = await new Promise((resolve) => setTimeout(resolve, 100)).then(() => viaIngress(app.id, '/'));
    t.is(index.status, 200, `GET / of ${name}: ${index.body.slice(0, 300)}`);
    const promised = template.spec.examples.find((e) => e.method === 'GET' && e.path === '/');
    for (const text of promised?.expect.contains ?? []) t.true(index.body.includes(text), `${name}: expected ${text} in GET /`);
    for (const example of template.spec.examples) {
      const request = exampleRequest(example);
      const reply = await viaIngress(app.id, example.path, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
      t.is(reply.status, example.expect.status, `${name}: ${example.title}: ${reply.body.slice(0, 300)}`);
      for (const text of example.expect.contains) t.true(reply.body.includes(text), `${name}: ${example.title}: expected ${text}`);
    }
  }

  // The database templates wrote into their owner's database, on the tenant's own server (whose
  // Service the host reaches by its ClusterIP), with the credentials the apps were given.
  const [database] = (await user.client.get('/api/databases')).body.databases;
  const creds = (await user.client.post(`/api/databases/${database.id}/credentials`)).body;
  t.true(creds.uri.includes(`@${tenantDatabaseHost(user.id, ns)}:27017/`), 'apps reach it by its Service\'s DNS name');
  const service = await admin.get(`/api/v1/namespaces/${ns}/services/${tenantDatabaseName(user.id)}`);
  const client = await MongoClient.connect(creds.uri.replace(/@[^/]+\//, `@${(service.spec as { clusterIP: string }).clusterIP}:27017/`), { serverSelectionTimeoutMS: 5000 });
  t.teardown(() => client.close());
  const collections = (await client.db(creds.dbName).listCollections().toArray()).map((c) => c.name);
  t.true(collections.length > 0, 'the database templates wrote to their owner\'s database on the tenant\'s server');
});

const echo = {
  'app.py': 'from fastapi import FastAPI, Request\n\napp = FastAPI()\n\n\n@app.post("/{path:path}")\nasync def echo(path: str, request: Request):\n'
    + '    return {"path": path, "headers": dict(request.headers), "body": (await request.body()).decode()}\n',
};

test('the test panel reaches the app through the ingress with its own Host, without the platform\'s credentials', async (t) => {
  const api = await startNodeApi(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Echo', files: echo });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running', 90_000);
  let res = await user.client.post(`/api/apps/${app.id}/request`, {
    method: 'POST', path: '/items?x=1', body: '{"a":1}',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fpa.stolen.token', cookie: '__Host-fp_session=fps_abc; theme=dark' },
  });
  for (let i = 0; i < 50 && res.body.status === 404; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    res = await user.client.post(`/api/apps/${app.id}/request`, { method: 'POST', path: '/items?x=1', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  }
  t.is(res.status, 200);
  t.is(res.body.status, 200, JSON.stringify(res.body).slice(0, 300));
  const echoed = JSON.parse(res.body.body);
  t.like(echoed, { path: 'items', body: '{"a":1}' });
  t.is(echoed.headers.host, `app-${app.id}.${appDomain}`);
  t.truthy(echoed.headers['x-forwarded-for'], 'it came through Traefik');
  const strict = await user.client.post(`/api/apps/${app.id}/request`, {
    method: 'POST', path: '/x', body: '', headers: { authorization: 'Bearer fpa.stolen.token', cookie: '__Host-fp_session=fps_abc; theme=dark' },
  });
  const stripped = JSON.parse(strict.body.body);
  t.is(stripped.headers.cookie, 'theme=dark');
  t.is(stripped.headers.authorization, undefined);
});
