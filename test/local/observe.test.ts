/**
 * What the local runtime lets people see, and what it keeps from apps: the proxy's request records
 * (with the app's traceback attached by request id, which a client cannot forge), live logs over the
 * WebSocket that resume after a reconnect without duplicates, WebSockets through the proxy, and an
 * environment without the platform's secrets.
 */
import test from 'ava';
import WebSocket from 'ws';
import { appDomain, appRequest, newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';

const observed = {
  'app.py': [
    'import os',
    '',
    'from fastapi import FastAPI, WebSocket',
    '',
    'app = FastAPI()',
    '',
    '',
    '@app.get("/")',
    'def index(n: int = 0):',
    '    print(f"request {n}", flush=True)',
    '    return {"n": n}',
    '',
    '',
    '@app.get("/boom")',
    'def boom():',
    '    return 1 / 0',
    '',
    '',
    '@app.get("/env")',
    'def env():',
    '    return dict(os.environ)',
    '',
    '',
    '@app.websocket("/ws")',
    'async def echo(ws: WebSocket):',
    '    await ws.accept()',
    '    async for text in ws.iter_text():',
    '        await ws.send_text(f"echo: {text}")',
    '',
  ].join('\n'),
};

async function deployed(t: Parameters<typeof startApi>[0]): Promise<{ api: TestApi; user: TestUser; appId: string }> {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  // Bound to the owner's default database by choice (its code does not read PLATFORM_MONGO_URI by name).
  const [database] = (await user.client.get('/api/databases')).body.databases;
  const app = await newApp(user, { name: 'Observed', files: observed, env: [{ name: 'GREETING', value: 'hi' }], database: { mode: 'bound', databaseId: database.id } });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  return { api, user, appId: app.id };
}

async function requests(user: TestUser, appId: string, query = ''): Promise<any[]> {
  return (await user.client.get(`/api/apps/${appId}/requests${query}`)).body.requests;
}

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  if (!ok(value)) throw new Error(`${what}: ${JSON.stringify(value).slice(0, 500)}`);
  return value;
}

test('the proxy records every request; a failing one carries the app\'s traceback (and the log shows it), and a client cannot forge the request id', async (t) => {
  const { api, user, appId } = await deployed(t);
  const ok = await appRequest(api, appId, '/?n=1&token=secret');
  t.is(ok.status, 200);
  const boom = await appRequest(api, appId, '/boom', { headers: { 'x-platform-request-id': 'forged-id' } });
  t.is(boom.status, 500);
  const id = boom.headers['x-platform-request-id'];
  t.regex(String(id), /^[0-9a-f]{16}$/);
  t.not(id, 'forged-id');
  const failed = await eventually('the failed request with its traceback', () => requests(user, appId, '?failed=true'), (r) => r[0]?.error?.type === 'ZeroDivisionError');
  t.is(failed.length, 1);
  t.like(failed[0], { id, method: 'GET', path: '/boom', status: 500 });
  t.like(failed[0].error, { type: 'ZeroDivisionError', message: 'division by zero', file: 'app.py', line: 16 });
  t.regex(failed[0].error.traceback, /app\.py", line 16/);
  const all = await requests(user, appId);
  t.deepEqual(all.map((r) => [r.path, r.status]), [['/boom', 500], ['/', 200]]);
  t.false(JSON.stringify(all).includes('token=secret'), 'query strings are not recorded');
  t.true(all.every((r) => typeof r.latencyMs === 'number' && r.latencyMs >= 0));
  t.is((await api.services.traffic.recent(appId, user.id, 10)).length, 2, 'stored by the gateway for its owner');
  const logged = await eventually('the traceback in the app\'s log', async () => ((await user.client.get(`/api/apps/${appId}/logs`)).body as { lines: { text: string }[] }).lines.map((l) => l.text),
    (lines) => lines.includes('GET /boom raised ZeroDivisionError: division by zero'));
  t.true(logged.includes('ZeroDivisionError: division by zero'), 'the traceback follows, line by line');
  t.false(logged.some((line) => line.startsWith('{"fp"')), 'the runner\'s structured lines are written out for people');
  const other = await signUp(api);
  t.is((await other.client.get(`/api/apps/${appId}/requests`)).status, 404);
});

test('the app\'s environment has its own variables and the runner contract, never the platform\'s secrets', async (t) => {
  // In the platform's own environment while the app starts: it must not be inherited.
  process.env.SECRET_KEY = 'platform-secret-that-must-not-leak';
  t.teardown(() => { delete process.env.SECRET_KEY; });
  const { api, appId } = await deployed(t);
  const env = JSON.parse((await appRequest(api, appId, '/env')).body) as Record<string, string>;
  t.is(env.GREETING, 'hi');
  t.is(env.APP_ID, appId);
  // The same contract as in a pod: the code at /code, /tmp the home, and a Unix socket, no TCP port.
  t.is(env.CODE_DIR, '/code');
  t.is(env.HOME, '/tmp');
  t.is(env.FP_LISTEN, 'unix:/tmp/.platform/app.sock');
  t.false('PORT' in env);
  // The owner's own database with its own user, on the tenant's server's socket inside the sandbox.
  t.regex(env.PLATFORM_MONGO_URI ?? '', /^mongodb:\/\/u_[0-9a-f]{24}:[^@]+@%2Ftmp%2F\.platform-db%2Fdb\.sock\/d_[0-9a-f]{24}\?authSource=d_[0-9a-f]{24}$/);
  t.is(env.FP_APP_VERSION, '1');
  for (const name of ['SECRET_KEY', 'MONGO_URI', 'FP_BED_MONGO_URI', 'FP_BED_KUBE_ADMIN_TOKEN', 'KUBECONFIG']) t.false(name in env, name);
  const text = JSON.stringify(env);
  for (const [name, value] of Object.entries(process.env)) {
    // The bed has one MongoDB server, so here it is also the apps' server (npm start runs two).
    if (name === 'FP_BED_MONGO_URI') continue;
    if (name.startsWith('FP_BED_') && value && value.length > 8) t.false(text.includes(value), `${name}'s value reached the app`);
  }
  t.false(text.includes(api.config.secretKey));
  t.false(text.includes('platform-secret-that-must-not-leak'));
});

test('a WebSocket reaches the app through the proxy', async (t) => {
  const { api, appId } = await deployed(t);
  const ws = new WebSocket(`ws://127.0.0.1:${api.port}/ws`, { headers: { host: `app-${appId}.${appDomain}` } });
  const reply = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send('ping'));
    ws.on('message', (data) => resolve(String(data)));
    ws.on('error', reject);
  });
  ws.close();
  t.is(reply, 'echo: ping');
});

test('live logs over the WebSocket resume after a reconnect with the last cursor: every line once', async (t) => {
  const { api, user, appId } = await deployed(t);
  const connect = async (after?: string | undefined) => {
    const ticket = (await user.client.post(`/api/apps/${appId}/logs/ticket`)).body;
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}${ticket.url}${after ? `&after=${after}` : ''}`);
    const lines: { text: string; cursor: string }[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'log') lines.push(message);
    });
    await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
    return { ws, lines };
  };
  const numbered = (lines: { text: string }[]) => lines.map((l) => l.text).filter((text) => text.startsWith('request '));
  const first = await connect();
  for (const n of [1, 2, 3]) await appRequest(api, appId, `/?n=${n}`);
  await eventually('lines 1–3 live', async () => numbered(first.lines), (l) => l.length === 3);
  first.ws.close();
  const last = first.lines.at(-1)?.cursor;
  for (const n of [4, 5]) await appRequest(api, appId, `/?n=${n}`);
  const second = await connect(last);
  await appRequest(api, appId, '/?n=6');
  const resumed = await eventually('lines 4–6 after the reconnect', async () => numbered(second.lines), (l) => l.length >= 3);
  await new Promise((resolve) => setTimeout(resolve, 200));
  second.ws.close();
  t.deepEqual(numbered(first.lines), ['request 1', 'request 2', 'request 3']);
  t.deepEqual(resumed, ['request 4', 'request 5', 'request 6']);
  t.deepEqual(numbered(second.lines), ['request 4', 'request 5', 'request 6'], 'no line twice');
});
