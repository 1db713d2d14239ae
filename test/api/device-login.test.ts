/**
 * Device-code sign-in (the CLI's `fp login`): start → pending → approved in the browser → the CLI
 * session handed over exactly once; denial, reuse, forged codes, polling too fast, and approval
 * without the browser's CSRF token.
 */
import test from 'ava';
import { browserSession, Client, signUp, startApi } from '../helpers/api.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a device sign-in approved in the browser hands the CLI a session once', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const cli = new Client(api);
  const started = await cli.post('/api/auth/device', { client: 'fp 0.1.0 on test-host' });
  t.is(started.status, 201, JSON.stringify(started.body));
  const { deviceCode, userCode, verificationUrlComplete, interval } = started.body;
  t.regex(userCode, /^[B-Z]{4}-[B-Z]{4}$/);
  t.is(verificationUrlComplete, `https://platform.test/device?code=${userCode}`);
  t.deepEqual((await cli.post('/api/auth/device/token', { deviceCode })).body, { status: 'pending', interval });

  const browser = (await browserSession(api, ada)).client;
  const shown = await browser.get(`/api/auth/device/${userCode.toLowerCase().replace('-', ' ')}`);
  t.is(shown.status, 200, JSON.stringify(shown.body));
  t.like(shown.body, { userCode, client: 'fp 0.1.0 on test-host', status: 'pending', address: '127.0.0.1' });
  t.is((await browser.post(`/api/auth/device/${userCode}/approve`)).body.status, 'approved');

  await sleep(interval * 1000);
  const granted = await cli.post('/api/auth/device/token', { deviceCode });
  t.is(granted.body.status, 'approved', JSON.stringify(granted.body));
  t.is(granted.body.user.username, ada.username);
  const asCli = new Client(api, { bearer: granted.body.accessToken });
  t.is((await asCli.get('/api/auth/me')).body.user.id, ada.id);
  const refreshed = await cli.post('/api/auth/refresh', { refreshToken: granted.body.refreshToken });
  t.is(refreshed.status, 200);
  const sessions = (await asCli.get('/api/auth/sessions')).body.sessions as { kind: string; userAgent: string; current: boolean }[];
  t.true(sessions.some((s) => s.kind === 'cli' && s.current && s.userAgent.includes('fp 0.1.0 on test-host')));

  await sleep(interval * 1000);
  const again = await cli.post('/api/auth/device/token', { deviceCode });
  t.is(again.status, 404, 'the session is handed over once');
  t.regex(again.body.error.message, /expired or does not exist/);
});

test('fails when the request was denied: the CLI is told, and a later approval is a conflict', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const cli = new Client(api);
  const { deviceCode, userCode } = (await cli.post('/api/auth/device', { client: 'fp on a stranger\'s box' })).body;
  const denied = await ada.client.post(`/api/auth/device/${userCode}/deny`);
  t.is(denied.body.status, 'denied');
  t.deepEqual((await cli.post('/api/auth/device/token', { deviceCode })).body, { status: 'denied' });
  const late = await ada.client.post(`/api/auth/device/${userCode}/approve`);
  t.is(late.status, 409);
  t.regex(late.body.error.message, /already denied/);
});

test('fails when the codes are forged or malformed: 404, never a session', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const cli = new Client(api);
  const { deviceCode, userCode } = (await cli.post('/api/auth/device', { client: 'fp' })).body;
  await ada.client.post(`/api/auth/device/${userCode}/approve`);
  const forged = `${deviceCode.slice(0, -4)}AAAA`;
  t.is((await cli.post('/api/auth/device/token', { deviceCode: forged })).status, 404);
  t.is((await cli.post('/api/auth/device/token', { deviceCode: 'fpd_nonsense_0000000000' })).status, 404);
  for (const bad of ['AEIO-UAEI', 'BCDF', '%00', 'BCDF-GHJK-LMNP']) {
    t.is((await ada.client.get(`/api/auth/device/${encodeURIComponent(bad)}`)).status, 404, bad);
  }
  t.is((await cli.post('/api/auth/device', { client: '' })).status, 400);
  // The real device code still works: the forgeries consumed nothing.
  await sleep(2000);
  t.is((await cli.post('/api/auth/device/token', { deviceCode })).body.status, 'approved');
});

test('fails when the CLI polls faster than the interval: slow_down, with a longer interval', async (t) => {
  const api = await startApi(t);
  const { deviceCode } = (await new Client(api).post('/api/auth/device', { client: 'fp' })).body;
  const cli = new Client(api);
  t.is((await cli.post('/api/auth/device/token', { deviceCode })).body.status, 'pending');
  const fast = (await cli.post('/api/auth/device/token', { deviceCode })).body;
  t.is(fast.status, 'slow_down');
  t.true(fast.interval > 2);
});

test('concurrent polls after approval hand the session to exactly one of them', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const { deviceCode, userCode } = (await new Client(api).post('/api/auth/device', { client: 'fp' })).body;
  await ada.client.post(`/api/auth/device/${userCode}/approve`);
  // Separate pollers, as if the device code had leaked: one wins (the poll interval and the unique
  // hand-over document both stand in the way), the rest get nothing.
  const results = await Promise.all(Array.from({ length: 8 }, () => new Client(api).post('/api/auth/device/token', { deviceCode })));
  const approved = results.filter((r) => r.body?.status === 'approved');
  t.is(approved.length, 1, JSON.stringify(results.map((r) => [r.status, r.body?.status ?? r.body?.error?.code])));
});

test('fails when a cookie session approves without its CSRF token', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const { userCode } = (await new Client(api).post('/api/auth/device', { client: 'fp' })).body;
  const { cookies } = await browserSession(api, ada);
  const forged = new Client(api, { cookies, origin: 'https://platform.test' });
  const res = await forged.post(`/api/auth/device/${userCode}/approve`);
  t.is(res.status, 403, JSON.stringify(res.body));
  t.is((await ada.client.get(`/api/auth/device/${userCode}`)).body.status, 'pending');
});
