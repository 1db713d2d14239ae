/**
 * The review's fixes, each through its bad path, against the real API (the runtime double; the local
 * runtime's own are in test/local/hardening.test.ts): a demoted admin's tokens lose the role at once
 * and after a restart; a revoked token and an ended session stay refused after a restart; an attack on
 * an account slows the attacker but not the owner; unknown methods get 405 in the JSON shape; common
 * passwords are refused; file names that would not read as they are, are refused.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Client, startApi, signUp, withAdmin, type TestApi } from '../helpers/api.js';

/** A second API process over the same database and key: what a restart (or another replica) sees. */
async function restarted(t: Parameters<typeof startApi>[0], first: TestApi, env: Record<string, string> = {}): Promise<TestApi> {
  return startApi(t, { env: { MONGO_DB: first.config.mongoDb, SECRET_KEY: first.config.secretKey, ...env } });
}

test('a demoted admin\'s personal API token and access token lose the admin role at once, and after a restart', async (t) => {
  const api = await startApi(t);
  const root = await withAdmin(api);
  const other = await signUp(api);
  t.is((await root.client.patch(`/api/admin/users/${other.id}`, { isAdmin: true })).status, 200);
  // Signed in again as an admin: an access token that says so, and a personal token.
  const login = await new Client(api).post('/api/auth/login', { login: other.username, password: other.password, mode: 'token' });
  const access = new Client(api, { bearer: login.body.accessToken });
  const token = (await access.post('/api/auth/tokens', { name: 'ci' })).body.token as string;
  const personal = new Client(api, { bearer: token });
  t.is((await personal.get('/api/admin/users')).status, 200);
  t.is((await access.get('/api/admin/users')).status, 200);

  t.is((await root.client.patch(`/api/admin/users/${other.id}`, { isAdmin: false })).status, 200);
  t.is((await personal.get('/api/admin/users')).status, 403, 'the personal token is no longer an admin\'s at the very next request');
  t.is((await personal.get('/api/apps')).status, 200, 'it still works as the user');
  t.is((await access.get('/api/admin/users')).status, 401, 'the old access token is refused; the session renews it with the new role');
  const renewed = await new Client(api).post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
  t.is(renewed.status, 200);
  t.is((await new Client(api, { bearer: renewed.body.accessToken }).get('/api/admin/users')).status, 403);

  const again = await restarted(t, api);
  t.is((await new Client(again, { bearer: token }).get('/api/admin/users')).status, 403);
  t.is((await new Client(again, { bearer: login.body.accessToken }).get('/api/apps')).status, 401, 'the revocation survived the restart');
});

test('a revoked personal token and an ended session are refused at once and after a restart', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const created = (await user.client.post('/api/auth/tokens', { name: 'laptop' })).body;
  const personal = new Client(api, { bearer: created.token });
  t.is((await personal.get('/api/apps')).status, 200);
  t.is((await user.client.delete(`/api/auth/tokens/${created.id}`)).status, 204);
  t.is((await personal.get('/api/apps')).status, 401);

  const login = await new Client(api).post('/api/auth/login', { login: user.username, password: user.password, mode: 'token' });
  const session = new Client(api, { bearer: login.body.accessToken });
  t.is((await session.post('/api/auth/logout')).status, 204);
  t.is((await session.get('/api/apps')).status, 401, 'the ended session\'s access token is refused at once');
  const again = await restarted(t, api);
  t.is((await new Client(again, { bearer: login.body.accessToken }).get('/api/apps')).status, 401, 'and still after a restart');
  t.is((await new Client(again, { bearer: created.token }).get('/api/apps')).status, 401);
});

test('fails to lock the owner out: an attacker\'s wrong passwords (by username and by email) slow only the attacker\'s address', async (t) => {
  const api = await startApi(t, { env: { TRUST_PROXY: 'true' } });
  const owner = await signUp(api);
  const anonymous = new Client(api);
  const attempt = (login: string, password: string, address: string) =>
    anonymous.post('/api/auth/login', { login, password, mode: 'token' }, { headers: { 'x-forwarded-for': address } });
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    // The username and the email are one account: alternating does not reset anything.
    const login = i % 2 === 0 ? owner.username : `${owner.username}@example.com`;
    statuses.push((await attempt(login, `wrong-${i}-${randomBytes(4).toString('hex')}`, '203.0.113.66')).status);
  }
  t.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  t.true(statuses.slice(5).every((s) => s === 429 || s === 401), statuses.join(' '));
  t.true(statuses.includes(429), `the attacker was slowed down: ${statuses.join(' ')}`);
  // Right after a counted failure (the wait doubles with each: seconds by now), even the right password
  // waits: wait out the current delay with wrong tries until one counts again, then try the right one.
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if ((await attempt(owner.username, `wrong-late-${randomBytes(4).toString('hex')}`, '203.0.113.66')).status === 401) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const slowed = await attempt(owner.username, owner.password, '203.0.113.66');
  t.is(slowed.status, 429, 'even the right password waits from the attacking address');
  t.regex(slowed.body.error.message, /wait \d+ s/);
  t.truthy(slowed.headers.get('retry-after'));
  t.true(Number(slowed.headers.get('retry-after')) <= 60, 'a delay, not a 15-minute lock');

  // The owner, elsewhere, signs in at once, by username and by email.
  t.is((await attempt(owner.username, owner.password, '198.51.100.7')).status, 200);
  t.is((await attempt(`${owner.username}@example.com`, owner.password, '198.51.100.8')).status, 200);
});

test('fails with 405 in the JSON shape for TRACE, PROPFIND and other methods the platform never answers', async (t) => {
  const api = await startApi(t);
  for (const [method, path] of [['TRACE', '/api/apps'], ['PROPFIND', '/api/apps'], ['TRACE', '/'], ['CONNECT', '/api/health'], ['MKCOL', '/nowhere']] as const) {
    const res = await rawRequest(api.port, method, path);
    t.is(res.status, 405, `${method} ${path}: ${res.head}`);
    t.regex(res.head, /\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
    t.like(JSON.parse(res.body), { error: { code: 'method_not_allowed' } });
  }
  // A method the platform knows, on a route that does not take it: 405 with that route's methods.
  const put = await new Client(api).put('/api/auth/config', {});
  t.is(put.status, 405);
  t.is(put.body.error.code, 'method_not_allowed');
  t.regex(put.headers.get('allow') ?? '', /GET/);
});

test('fails when a password is one of the most common ones, at sign-up and when an admin creates a user', async (t) => {
  const api = await startApi(t);
  const admin = await withAdmin(api);
  const anonymous = new Client(api);
  for (const password of ['password123', 'Password123', 'iloveyou2', 'qwertyuiop']) {
    const res = await anonymous.post('/api/auth/signup', { username: `u${randomBytes(3).toString('hex')}`, email: `${randomBytes(3).toString('hex')}@example.com`, password });
    t.is(res.status, 400, password);
    t.deepEqual(res.body.error.details.issues.map((i: { path: string }) => i.path), ['body.password']);
    t.regex(res.body.error.details.issues[0].message, /most common/);
  }
  const created = await admin.client.post('/api/admin/users', { username: 'newbie', email: 'newbie@example.com', password: 'baseball1' });
  t.is(created.status, 400);
  // Length stays the main rule: a long, uncommon passphrase is fine.
  t.is((await anonymous.post('/api/auth/signup', { username: 'longpass', email: 'longpass@example.com', password: 'violet tractor anchors lunch' })).status, 201);
});

test('fails when a file name has a right-to-left override or a zero-width character: the project is refused, nothing is stored', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const app = 'from fastapi import FastAPI\napp = FastAPI()\n';
  for (const name of ['app\u202eyp.txt', 'ut\u200bils.py', 'static/\u2066x.css']) {
    const res = await user.client.post('/api/apps', { name: 'Sneaky', files: { 'app.py': app, [name]: '' } });
    t.is(res.status, 400, name);
    t.is(res.body.error.details.findings[0].code, 'path-invalid');
    t.regex(res.body.error.details.findings[0].message, /invisible or text-direction character \(U\+/);
  }
  t.is((await user.client.get('/api/apps')).body.apps.length, 0);
});

function rawRequest(port: number, method: string, path: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => { data += String(chunk); });
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head: `${head}\r\n`, body: body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n$/g, '') });
    });
    socket.on('error', reject);
  });
}
