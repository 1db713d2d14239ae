/**
 * Schema fuzz: fast-check generates bad inputs (wrong types, huge and odd strings, unknown fields,
 * injection-shaped ids) for every route's params, query and body; no answer may be a 5xx. Bounded:
 * a fixed number of runs per route.
 */
import test from 'ava';
import fc from 'fast-check';
import { newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';

const junk = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '../../etc/passwd', '{"$ne":null}', '$where', '\u0000', '%00', 'a'.repeat(5000), '__proto__', 'constructor'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);
const body = fc.oneof(junk, fc.dictionary(fc.constantFrom('name', 'files', 'revision', 'vars', 'title', 'method', 'path', 'isAdmin', 'version', 'login', 'password', 'mode', 'extra', '__proto__'), junk, { maxKeys: 4 }));
const idLike = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('..', '%2e%2e', '{"$gt":""}', 'aaaaaaaaaa', '0'.repeat(24), 'builtin-x', ' '));

test('no generated bad input on any route yields a 5xx', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  const user = await signUp(api);
  const app = await newApp(user);
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  const failures: string[] = [];
  let calls = 0;
  for (const spec of api.app.routes) {
    const client = spec.auth === 'admin' ? admin.client : user.client;
    await fc.assert(fc.asyncProperty(
      fc.record({ params: fc.dictionary(fc.constantFrom('appId', 'templateId', 'id', 'userId', 'version'), idLike), query: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 3 }), body, realId: fc.boolean() }),
      async ({ params, query, body: payload, realId }) => {
        if (spec.path === '/api/auth/logout' || (spec.method === 'delete' && realId)) return;
        const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(realId && name === 'appId' ? app.id : String(params[name] ?? 'x')));
        const search = new URLSearchParams(query).toString();
        const res = await client.call(spec.method.toUpperCase(), `${path}${search ? `?${search}` : ''}`, spec.method === 'get' ? undefined : payload);
        calls += 1;
        if (res.status >= 500) failures.push(`${spec.method.toUpperCase()} ${path}?${search} ${JSON.stringify(payload)?.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        return true;
      },
    ), { numRuns: 25, seed: 42 });
  }
  t.deepEqual(failures, []);
  t.true(calls > 1000, `${calls} requests`);
});
