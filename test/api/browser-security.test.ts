/**
 * Cross-site protection and the error contract: CSRF for cookie sessions, requests from user apps
 * refused, CORS only for configured origins, security headers, 413 and 404 in the one error shape.
 */
import test from 'ava';
import { Client, browserSession, newApp, platformOrigin, signUp, startApi } from '../helpers/api.js';

const create = { name: 'From the browser', templateId: 'builtin-hello-fastapi' };

test('a cookie-authenticated POST with the right origin and CSRF token works', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const { client } = await browserSession(api, user);
  t.is((await client.post('/api/apps', create)).status, 201);
});

test('fails when a cookie-authenticated POST comes from another origin', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const { client } = await browserSession(api, user);
  const res = await client.post('/api/apps', create, { headers: { origin: 'https://evil.example' } });
  t.is(res.status, 403);
  t.regex(res.body.error.message, /Requests from https:\/\/evil\.example are not allowed/);
  t.is(await api.db.apps.countDocuments({ ownerId: user.id }), 0);
});

test('fails when a cookie-authenticated POST lacks the CSRF token or the Origin', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const { cookies, csrf } = await browserSession(api, user);
  const noToken = await new Client(api, { cookies, origin: platformOrigin }).post('/api/apps', create);
  t.is(noToken.status, 403);
  t.regex(noToken.body.error.message, /CSRF token is missing or wrong/);
  const wrongToken = await new Client(api, { cookies, origin: platformOrigin, csrf: `${csrf}x` }).post('/api/apps', create);
  t.is(wrongToken.status, 403);
  const noOrigin = await new Client(api, { cookies, csrf }).post('/api/apps', create);
  t.is(noOrigin.status, 403);
  t.regex(noOrigin.body.error.message, /needs an Origin header/);
  t.is(await api.db.apps.countDocuments({ ownerId: user.id }), 0);
});

test("fails when a request comes from a user app's origin, even with a bearer token", async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = await newApp(user);
  const fromApp = await user.client.get('/api/apps', { headers: { origin: `http://app-${app.id}.apps.test` } });
  t.is(fromApp.status, 403);
  t.regex(fromApp.body.error.message, /Requests from user apps are refused/);
  const login = await new Client(api).post('/api/auth/login', { login: user.username, password: user.password }, { headers: { origin: `https://app-${app.id}.apps.test` } });
  t.is(login.status, 403);
});

test('fails when a browser on another origin tries to sign in (login CSRF)', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const res = await new Client(api).post('/api/auth/login', { login: user.username, password: user.password }, { headers: { origin: 'https://evil.example' } });
  t.is(res.status, 403);
});

test('bearer requests need no CSRF token (no ambient credentials)', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  t.is((await user.client.post('/api/apps', create)).status, 201);
});

test('CORS: only configured origins get CORS headers, with credentials', async (t) => {
  const api = await startApi(t, { env: { CORS_ORIGINS: 'https://admin.example' } });
  const anonymous = new Client(api);
  const allowed = await anonymous.call('OPTIONS', '/api/apps', undefined, { headers: { origin: 'https://admin.example', 'access-control-request-method': 'POST' } });
  t.is(allowed.status, 204);
  t.is(allowed.headers.get('access-control-allow-origin'), 'https://admin.example');
  t.is(allowed.headers.get('access-control-allow-credentials'), 'true');
  const other = await anonymous.get('/api/auth/config', { headers: { origin: 'https://evil.example' } });
  t.is(other.headers.get('access-control-allow-origin'), null);
  t.not(other.headers.get('access-control-allow-origin'), '*');
});

test('security headers are on every API response', async (t) => {
  const api = await startApi(t);
  const res = await new Client(api).get('/api/auth/config');
  t.is(res.headers.get('x-content-type-options'), 'nosniff');
  t.is(res.headers.get('x-frame-options'), 'DENY');
  t.is(res.headers.get('referrer-policy'), 'no-referrer');
  t.is(res.headers.get('cache-control'), 'no-store');
  t.regex(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  t.is(res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
  t.regex(res.headers.get('x-request-id') ?? '', /^[A-Za-z0-9_-]{8,}$/);
});

test('fails when the body is over the limit: 413 in the error shape', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const huge = { name: 'big', files: { 'app.py': 'x'.repeat(3 * 1024 * 1024) } };
  const res = await user.client.post('/api/apps', huge);
  t.is(res.status, 413);
  t.is(res.body.error.code, 'payload_too_large');
});

test('fails when the body is not JSON: 400 in the error shape', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const res = await user.client.post('/api/apps', undefined, { raw: '{"name": ', headers: { 'content-type': 'application/json' } });
  t.is(res.status, 400);
  t.is(res.body.error.code, 'invalid_input');
  t.regex(res.body.error.message, /not valid JSON/);
});

test('fails when the route does not exist or the method is wrong: JSON errors, not HTML', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const missing = await user.client.get('/api/nothing-here');
  t.is(missing.status, 404);
  t.is(missing.body.error.code, 'not_found');
  const method = await user.client.call('PUT', '/api/apps');
  t.true([403, 405].includes(method.status));
  t.is(typeof method.body.error.code, 'string');
});

test('a 500 says only that something failed, with the request id', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  // An unexpected failure inside a service (not a domain error) must not leak its message.
  api.services.apps.list = async () => { throw new Error('secret internal detail'); };
  const res = await user.client.get('/api/apps', { headers: { 'x-request-id': 'probe-request-1' } });
  t.is(res.status, 500);
  t.deepEqual(res.body, { error: { code: 'internal', message: 'Something failed on our side; quote request id probe-request-1.', details: { requestId: 'probe-request-1' } } });
});
