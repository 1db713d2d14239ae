/**
 * The runtime-facing routes: status, progress as server-sent events, events, logs over HTTP and the
 * ticketed WebSocket, manifests with Secret values masked, the test panel (platform credentials
 * stripped), and the request history. Each runs against the runtime double and the real local runtime.
 */
import test, { type ExecutionContext } from 'ava';
import WebSocket from 'ws';
import { sanitizeTestHeaders } from '../../api/services/test-requests.js';
import { newApp, signUp, startApi, waitForPhase, type RuntimeKind, type TestApi } from '../helpers/api.js';
import { recordRequests } from '../helpers/traffic.js';
import type { FakeRuntime } from '../helpers/fake-runtime.js';

function contract(title: string, body: (t: ExecutionContext, api: TestApi, kind: RuntimeKind) => Promise<void>): void {
  for (const kind of ['double', 'local'] as const) test(`${title} (${kind} runtime)`, async (t) => body(t, await startApi(t, { runtime: kind }), kind));
}

/** Prints five numbered lines when imported; echoes what it receives. */
const chatty = {
  'app.py': 'from fastapi import FastAPI, Request\n\nfor i in range(1, 6):\n    print(f"line {i}", flush=True)\n\napp = FastAPI()\n\n\n'
    + '@app.api_route("/{path:path}", methods=["GET", "POST"])\nasync def echo(path: str, request: Request):\n'
    + '    return {"path": path, "query": str(request.query_params), "headers": dict(request.headers), "body": (await request.body()).decode()}\n',
};

contract('status, events and progress (server-sent events) follow a rollout', async (t, api) => {
  const user = await signUp(api);
  const app = await newApp(user);
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  const progress = await fetch(`${api.url}/api/apps/${app.id}/progress`, { headers: user.client.authorization() });
  t.is(progress.headers.get('content-type'), 'text/event-stream');
  const text = await progress.text();
  const phases = [...text.matchAll(/"phase":"(\w+)"/g)].map((m) => m[1]);
  t.deepEqual(phases, ['validating', 'starting', 'ready']);
  t.regex(text, /event: end/);
  await waitForPhase(user, app.id, 'running');
  t.like((await user.client.get(`/api/apps/${app.id}/status`)).body, { phase: 'ready', servingVersion: 1 });
  const events = (await user.client.get(`/api/apps/${app.id}/events?limit=2`)).body.events;
  t.is(events.length, 2);
  t.is(events[0].reason, 'Ready');
});

contract('manifests show the objects with their real names and never a Secret value', async (t, api) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'M', templateId: 'builtin-hello-fastapi', env: [{ name: 'TOKEN', value: 'top-secret-value' }] });
  t.is((await user.client.get(`/api/apps/${app.id}/manifests`)).status, 404);
  const draft = (await user.client.get(`/api/apps/${app.id}/manifests?of=draft`)).body;
  // Each version's code and env are objects named by their content's hash.
  const names = draft.objects.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`);
  t.regex(names[0], new RegExp(`^ConfigMap/app-${app.id}-code-[0-9a-f]{10}$`));
  t.regex(names[1], new RegExp(`^Secret/app-${app.id}-env-[0-9a-f]{10}$`));
  t.deepEqual(names.slice(2), [`Deployment/app-${app.id}`, `Service/app-${app.id}`, `IngressRoute/app-${app.id}`, `NetworkPolicy/app-${app.id}`]);
  const text = JSON.stringify(draft);
  t.false(text.includes('top-secret-value'));
  t.false(text.includes(Buffer.from('top-secret-value').toString('base64')));
  t.deepEqual(draft.objects[1].data, { TOKEN: '••••••••' });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  t.is((await user.client.get(`/api/apps/${app.id}/manifests`)).body.version, 1);
});

contract('the test panel reaches only that app and strips the platform\'s credentials', async (t, api, kind) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Echo', files: chatty });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running');
  const res = await user.client.post(`/api/apps/${app.id}/request`, {
    method: 'POST', path: '/items?x=1', body: '{"a":1}',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fpa.stolen.token', cookie: '__Host-fp_session=fps_abc; theme=dark', 'x-app-key': 'k' },
  });
  t.is(res.status, 200);
  const sent = api.calls.requests[0];
  t.is(sent?.appId, app.id);
  t.deepEqual(sent?.request.headers, { 'content-type': 'application/json', cookie: 'theme=dark', 'x-app-key': 'k' });
  if (kind === 'local') {
    const echoed = JSON.parse(res.body.body);
    t.like(echoed, { path: 'items', query: 'x=1', body: '{"a":1}' });
    t.like(echoed.headers, { cookie: 'theme=dark', 'x-app-key': 'k', host: `app-${app.id}.apps.test` });
    t.is(echoed.headers.authorization, undefined);
    t.regex(echoed.headers['x-platform-request-id'], /^[0-9a-f]{16}$/);
    t.is(res.body.headers['x-platform-request-id'], echoed.headers['x-platform-request-id']);
  }
});

test('sanitizeTestHeaders keeps the app\'s own Authorization and drops hop-by-hop headers', (t) => {
  t.deepEqual(sanitizeTestHeaders({ Authorization: 'Bearer my-app-token', Host: 'evil', 'Transfer-Encoding': 'chunked', 'X-Forwarded-For': '1.2.3.4', Accept: 'text/html' }),
    { authorization: 'Bearer my-app-token', accept: 'text/html' });
  t.deepEqual(sanitizeTestHeaders({ authorization: 'Bearer fpt_abc' }), {});
  t.deepEqual(sanitizeTestHeaders({ cookie: 'fp_access=1; __Host-fp_session=2' }), {});
});

contract('logs over HTTP resume after a cursor; the WebSocket needs a fresh single-use ticket', async (t, api, kind) => {
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Chatty', files: chatty });
  if (kind === 'double') {
    (api.runtime as FakeRuntime).logLines.set(app.id, Array.from({ length: 5 }, (_, i) => ({ cursor: String(i + 1), at: new Date().toISOString(), stream: 'stdout' as const, text: `line ${i + 1}`, version: 1 })));
  } else {
    await user.client.post(`/api/apps/${app.id}/deploy`, {});
    await waitForPhase(user, app.id, 'running');
  }
  const numbered = (lines: { text: string }[]) => lines.map((l) => l.text).filter((text) => text.startsWith('line '));
  const all = (await user.client.get(`/api/apps/${app.id}/logs`)).body.lines;
  t.deepEqual(numbered(all), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  const cursorOf = (text: string) => all.find((l: { text: string }) => l.text === text).cursor;
  const after = (await user.client.get(`/api/apps/${app.id}/logs?after=${cursorOf('line 3')}`)).body.lines;
  t.deepEqual(numbered(after), ['line 4', 'line 5']);

  const ticket = (await user.client.post(`/api/apps/${app.id}/logs/ticket`)).body;
  t.is(ticket.expiresIn, 30);
  const wsUrl = `${api.url.replace('http', 'ws')}${ticket.url}&after=${cursorOf('line 2')}`;
  const messages = await new Promise<string[]>((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    const got: string[] = [];
    ws.on('message', (data) => {
      got.push(String(data));
      // A live stream (the local runtime) stays open: stop once the last line arrived.
      if (String(data).includes('line 5')) ws.close();
    });
    ws.on('close', () => resolve(got));
    ws.on('error', reject);
  });
  t.deepEqual(numbered(messages.map((m) => JSON.parse(m)).filter((m) => m.type === 'log')), ['line 3', 'line 4', 'line 5']);
  const reused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(wsUrl);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
  });
  t.is(reused, 401, 'a ticket works once');
  const other = await signUp(api);
  t.is((await other.client.post(`/api/apps/${app.id}/logs/ticket`)).status, 404);
});

contract('the request history lists the proxy\'s records with tracebacks, newest first, failures filterable', async (t, api) => {
  const user = await signUp(api);
  const app = await newApp(user);
  const base = { method: 'GET', latencyMs: 4, coldStart: false, bytes: 10, version: 1, wakeMs: null };
  await recordRequests(api, app.id, user.id, [
    { ...base, id: 'a', at: new Date(Date.now() - 2000), path: '/', status: 200, error: null },
    { ...base, id: 'b', at: new Date(Date.now() - 1000), path: '/boom', status: 500, error: { type: 'ZeroDivisionError', message: 'division by zero', traceback: 'Traceback…', file: 'app.py', line: 6 } },
  ]);
  const all = (await user.client.get(`/api/apps/${app.id}/requests`)).body.requests;
  t.deepEqual(all.map((r: { path: string }) => r.path), ['/boom', '/']);
  const failed = (await user.client.get(`/api/apps/${app.id}/requests?failed=true`)).body.requests;
  t.is(failed.length, 1);
  t.like(failed[0].error, { type: 'ZeroDivisionError', file: 'app.py', line: 6 });
});
