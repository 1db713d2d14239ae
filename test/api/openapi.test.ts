/** The OpenAPI document: generated from the route table's zod schemas, valid OpenAPI 3.1, with its docs page. */
import test from 'ava';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Client, startApi } from '../helpers/api.js';

test('/api/openapi.json is a valid OpenAPI 3.1 document covering every route', async (t) => {
  const api = await startApi(t);
  const res = await new Client(api).get('/api/openapi.json');
  t.is(res.status, 200);
  const document = res.body;
  const result = await new Validator().validate(document);
  t.true(result.valid, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));
  t.is(document.openapi, '3.1.0');
  for (const spec of api.app.routes) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    t.truthy(document.paths[path]?.[spec.method], `${spec.method} ${path} documented`);
  }
  t.truthy(document.components.schemas.Error);
  t.truthy(document.components.schemas.App);
});

test('the docs page and its assets are served by the API itself (no CDN)', async (t) => {
  const api = await startApi(t);
  const client = new Client(api);
  const page = await client.get('/api/docs');
  t.is(page.status, 200);
  t.regex(page.body, /\/api\/docs\/assets\/swagger-ui-bundle\.js/);
  t.false(/https?:\/\//.test(page.body), 'no external URLs');
  const bundle = await fetch(`${api.url}/api/docs/assets/swagger-ui-bundle.js`);
  t.is(bundle.status, 200);
  t.regex(bundle.headers.get('content-type') ?? '', /javascript/);
});
