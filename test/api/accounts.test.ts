/** Accounts over HTTP against the bed's MongoDB server: sign-up, sign-in, sessions, tokens, rate limits. */
import test from 'ava';
import { Client, browserSession, signUp, startApi } from '../helpers/api.js';

test('the first account is admin, later ones are not', async (t) => {
  const api = await startApi(t);
  t.true((await new Client(api).get('/api/auth/config')).body.firstUser);
  const first = await signUp(api);
  const second = await signUp(api);
  t.true(first.isAdmin);
  t.false(second.isAdmin);
  t.false((await new Client(api).get('/api/auth/config')).body.firstUser);
});

test('concurrent sign-ups with one name (differing in case) make exactly one user', async (t) => {
  const api = await startApi(t);
  await signUp(api);
  const anonymous = new Client(api);
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => anonymous.post('/api/auth/signup', {
    username: i % 2 ? 'Grace' : 'grace', email: `grace${i}@example.com`, password: 'correct horse battery',
  })));
  t.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
  const conflict = results.find((r) => r.status === 409);
  t.is(conflict?.body.error.code, 'conflict');
  t.regex(conflict?.body.error.message, /username is already taken/);
  t.is(await api.db.users.countDocuments({ usernameKey: 'grace' }), 1);
});

test('concurrent first sign-ups make exactly one admin', async (t) => {
  const api = await startApi(t);
  const anonymous = new Client(api);
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => anonymous.post('/api/auth/signup', {
    username: `founder${i}`, email: `founder${i}@example.com`, password: 'correct horse battery',
  })));
  t.true(results.every((r) => r.status === 201));
  t.is(results.filter((r) => r.body.user.isAdmin).length, 1);
});

test('fails when the email is taken, case-insensitively', async (t) => {
  const api = await startApi(t);
  const anonymous = new Client(api);
  t.is((await anonymous.post('/api/auth/signup', { username: 'one', email: 'Same@Example.com', password: 'long enough pw' })).status, 201);
  const again = await anonymous.post('/api/auth/signup', { username: 'two', email: 'same@example.com', password: 'long enough pw' });
  t.is(again.status, 409);
  t.deepEqual(again.body.error.details, { field: 'email' });
});

test('fails when sign-ups are off: 403 with a sentence, and the config says so', async (t) => {
  const api = await startApi(t);
  const admin = await signUp(api);
  t.is((await admin.client.put('/api/admin/settings', { allowSignups: false })).status, 200);
  const anonymous = new Client(api);
  t.false((await anonymous.get('/api/auth/config')).body.signupsAllowed);
  const res = await anonymous.post('/api/auth/signup', { username: 'late', email: 'late@example.com', password: 'long enough pw' });
  t.is(res.status, 403);
  t.regex(res.body.error.message, /Sign-ups are turned off/);
});

test('fails when the password is wrong: 401, then 429 with Retry-After once the account is hammered', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const anonymous = new Client(api);
  const wrong = await anonymous.post('/api/auth/login', { login: user.username, password: 'not-it', mode: 'token' });
  t.is(wrong.status, 401);
  t.is(wrong.body.error.message, 'The username or password is wrong.');
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await anonymous.post('/api/auth/login', { login: user.username, password: `nope${i}`, mode: 'token' })).status);
  t.true(statuses.includes(429), statuses.join(','));
  const limited = await anonymous.post('/api/auth/login', { login: user.username, password: user.password, mode: 'token' });
  t.is(limited.status, 429);
  t.regex(limited.headers.get('retry-after') ?? '', /^\d+$/);
  t.is(limited.body.error.code, 'rate_limited');
});

test('an unknown account and a wrong password answer alike', async (t) => {
  const api = await startApi(t);
  await signUp(api);
  const res = await new Client(api).post('/api/auth/login', { login: 'nobody-here', password: 'whatever1', mode: 'token' });
  t.is(res.status, 401);
  t.is(res.body.error.message, 'The username or password is wrong.');
});

test('token sign-in: access token works, refresh gives a new one, logout revokes the session at once', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const anonymous = new Client(api);
  const login = await anonymous.post('/api/auth/login', { login: user.username.toUpperCase(), password: user.password, mode: 'token' });
  t.is(login.status, 200);
  t.regex(login.body.accessToken, /^fpa\./);
  t.regex(login.body.refreshToken, /^fps_/);
  const client = new Client(api, { bearer: login.body.accessToken });
  t.is((await client.get('/api/auth/me')).body.user.username, user.username);
  const refreshed = await anonymous.post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
  t.is(refreshed.status, 200);
  t.is((await client.post('/api/auth/logout')).status, 204);
  t.is((await client.get('/api/auth/me')).status, 401);
  t.is((await new Client(api, { bearer: refreshed.body.accessToken }).get('/api/auth/me')).status, 401);
  t.is((await anonymous.post('/api/auth/refresh', { refreshToken: login.body.refreshToken })).status, 401);
});

test('cookie sign-in: __Host- cookies, Secure, HttpOnly, SameSite=Lax, and a CSRF token from /me', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const { client, setCookie, csrf } = await browserSession(api, user);
  t.is(setCookie.length, 2);
  for (const cookie of setCookie) {
    t.regex(cookie, /^__Host-fp_(access|session)=/);
    for (const attribute of ['Path=/', 'HttpOnly', 'SameSite=Lax', 'Secure']) t.true(cookie.includes(attribute), `${cookie} has ${attribute}`);
    t.false(/Domain=/i.test(cookie));
  }
  const me = await client.get('/api/auth/me');
  t.is(me.body.user.username, user.username);
  t.is(me.body.csrfToken, csrf);
});

test('an expired access cookie is renewed from the session cookie', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const { cookies, csrf } = await browserSession(api, user);
  const sessionOnly = cookies.split('; ').filter((c) => c.startsWith('__Host-fp_session')).join('; ');
  const res = await new Client(api, { cookies: sessionOnly, csrf, origin: 'https://platform.test' }).get('/api/auth/me');
  t.is(res.status, 200);
  t.regex(res.headers.getSetCookie().join(';'), /__Host-fp_access=fpa\./);
});

test('sessions are listed and one can be revoked; the revoked one stops working', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const second = await new Client(api).post('/api/auth/login', { login: user.username, password: user.password, mode: 'token' });
  const other = new Client(api, { bearer: second.body.accessToken });
  const sessions = (await user.client.get('/api/auth/sessions')).body.sessions;
  t.is(sessions.length, 2);
  t.is(sessions.filter((s: { current: boolean }) => s.current).length, 1);
  const victim = sessions.find((s: { current: boolean }) => !s.current);
  t.is((await user.client.delete(`/api/auth/sessions/${victim.id}`)).status, 204);
  t.is((await other.get('/api/auth/me')).status, 401);
  t.is((await user.client.get('/api/auth/me')).status, 200);
});

test('personal API tokens: shown once, usable as Bearer, listed without the secret, revocable', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const created = await user.client.post('/api/auth/tokens', { name: 'CI deploys', expiresInDays: 30 });
  t.is(created.status, 201);
  t.regex(created.body.token, /^fpt_/);
  const ci = new Client(api, { bearer: created.body.token });
  t.is((await ci.get('/api/auth/me')).body.user.id, user.id);
  const listed = (await user.client.get('/api/auth/tokens')).body.tokens;
  t.is(listed.length, 1);
  t.is(listed[0].name, 'CI deploys');
  t.false(JSON.stringify(listed).includes(created.body.token));
  t.is(await api.db.apiTokens.countDocuments({ _id: created.body.token }), 0, 'stored hashed, never as given');
  t.is((await user.client.delete(`/api/auth/tokens/${created.body.id}`)).status, 204);
  t.is((await ci.get('/api/auth/me')).status, 401);
});

test('passwords are stored as scrypt hashes, never as given', async (t) => {
  const api = await startApi(t);
  const user = await signUp(api);
  const doc = await api.db.users.findOne({ _id: user.id });
  t.regex(doc?.passwordHash ?? '', /^scrypt\$32768\$8\$1\$/);
  t.false(JSON.stringify(doc).includes(user.password));
});
