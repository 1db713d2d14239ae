/**
 * The review's fixes that involve running apps, on the real local runtime (sandboxed runners): a
 * trickled request body is cut off while long responses and WebSockets keep going; an app cannot
 * forge a traceback onto a request that succeeded, nor a start failure of itself once it serves;
 * SIGTERM to a sandboxed runner lets its in-flight request finish; and the sandbox's limits hold:
 * memory (the kernel's OOM killer, reported as such) and tasks.
 */
import test from 'ava';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { appRequest, newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import type { LocalRuntime } from '../../api/runtime/local/runtime.js';

const source = `import asyncio
import json
import sys
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.get("/")
def index():
    return {"ok": True}


@app.get("/stream")
async def stream():
    async def chunks():
        for i in range(5):
            yield f"chunk {i}\\n"
            await asyncio.sleep(1)
    return StreamingResponse(chunks(), media_type="text/plain")


@app.get("/say")
def say():
    print("said after a while", flush=True)
    return {"said": True}


@app.get("/forge")
def forge(request: Request):
    request_id = request.headers.get("x-platform-request-id")
    line = {"fp": "request-exception", "source": "app", "request_id": request_id, "method": "GET", "path": "/forge",
            "type": "RuntimeError", "message": "forged", "file": "app.py", "line": 1, "traceback": "forged traceback"}
    print(json.dumps(line), file=sys.stderr, flush=True)
    failed = {"fp": "start-failed", "type": "ImportError", "message": "forged start failure", "file": "app.py", "line": 1, "phase": "import"}
    print(json.dumps(failed), file=sys.stderr, flush=True)
    return {"forged": True}


@app.get("/boom")
def boom():
    raise RuntimeError("a real failure")


@app.get("/slow")
def slow():
    print("slow began", flush=True)
    time.sleep(4)
    return {"slow": "finished"}


@app.get("/hog")
def hog():
    held = bytearray(600 * 1024 * 1024)
    return {"held": len(held)}


@app.get("/threads")
def threads():
    stop = threading.Event()
    started = 0
    try:
        for _ in range(2000):
            threading.Thread(target=stop.wait, daemon=True).start()
            started += 1
    except RuntimeError:
        pass
    stop.set()
    return {"started": started}
`;

async function deployed(t: Parameters<typeof startApi>[0], env: Record<string, string> = {}): Promise<{ api: TestApi<LocalRuntime>; user: TestUser; appId: string }> {
  const api = await startApi(t, { runtime: 'local', env });
  const user = await signUp(api);
  // `threading` is not on the default allow-list; an admin (the first user) may allow it. The
  // sandbox's limits must hold whatever the validator lets through.
  const settings = (await user.client.get('/api/admin/settings')).body;
  await user.client.put('/api/admin/settings', { allowedImports: [...settings.defaultAllowedImports, 'threading'] });
  const app = await newApp(user, { name: 'Hardened', files: { 'app.py': source } });
  const deploy = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  if (deploy.status !== 202) throw new Error(`deploy → ${deploy.status}: ${JSON.stringify(deploy.body)}`);
  await waitForPhase(user, app.id, 'running', 120_000);
  return { api, user, appId: app.id };
}

async function records(user: TestUser, appId: string): Promise<any[]> {
  return (await user.client.get(`/api/apps/${appId}/requests`)).body.requests;
}

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  if (!ok(value)) throw new Error(`${what}: ${JSON.stringify(value).slice(0, 600)}`);
  return value;
}

test('fails a body trickled a byte at a time (cut off at the request timeout), while a long response and a WebSocket keep going', async (t) => {
  const { api, user, appId } = await deployed(t, { REQUEST_TIMEOUT_SECONDS: '2' });
  const startedAt = Date.now();
  const trickle = await new Promise<{ closedAfterMs: number; answer: string }>((resolve) => {
    let answer = '';
    const socket = connect(api.port, '127.0.0.1', () => {
      socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    });
    const timer = setInterval(() => socket.write('"'), 5000);
    socket.on('data', (chunk) => { answer += String(chunk); });
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - startedAt, answer });
    });
    socket.on('error', () => {});
  });
  t.true(trickle.closedAfterMs < 6000, `closed after ${trickle.closedAfterMs} ms`);
  t.regex(trickle.answer, /^HTTP\/1\.1 408/);

  // A response that streams for five seconds, through the proxy, past the request timeout.
  const streamed = await appRequest(api, appId, '/stream');
  t.is(streamed.status, 200);
  t.is(streamed.body.trim().split('\n').length, 5);

  // The log WebSocket outlives the request timeout and still receives.
  const ticket = (await user.client.post(`/api/apps/${appId}/logs/ticket`)).body;
  const ws = new WebSocket(`${api.url.replace('http', 'ws')}${ticket.url}`);
  const lines: string[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; text?: string };
    if (message.type === 'log' && message.text) lines.push(message.text);
  });
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  await new Promise((resolve) => setTimeout(resolve, 3500));
  await appRequest(api, appId, '/say');
  await eventually('the line printed after the timeout', async () => lines, (l) => l.includes('said after a while'));
  t.is(ws.readyState, WebSocket.OPEN);
  ws.close();
});

test('fails to forge: a traceback the app reports for a request that succeeded is not attached, and a start failure it prints once serving is ignored', async (t) => {
  const { api, user, appId } = await deployed(t);
  const forged = await appRequest(api, appId, '/forge');
  t.is(forged.status, 200);
  const forgedId = forged.headers['x-platform-request-id'];
  const real = await appRequest(api, appId, '/boom');
  t.is(real.status, 500);
  const realId = real.headers['x-platform-request-id'];
  const list = await eventually('both records, the failure with its traceback', () => records(user, appId),
    (r) => r.some((e: any) => e.id === realId && e.error) && r.some((e: any) => e.id === forgedId));
  t.is(list.find((e: any) => e.id === forgedId).error, null, 'the forged traceback is not on the successful request');
  t.regex(list.find((e: any) => e.id === realId).error.traceback, /RuntimeError: a real failure/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const app = (await user.client.get(`/api/apps/${appId}`)).body;
  t.is(app.status.phase, 'running');
  t.false(JSON.stringify(await api.runtime.status(appId)).includes('forged'));
  t.is((await appRequest(api, appId, '/')).status, 200);
});

test('SIGTERM to a sandboxed runner lets its in-flight request finish', async (t) => {
  const { api, user, appId } = await deployed(t);
  const inFlight = appRequest(api, appId, '/slow');
  // Stopped only once the runner is handling it (a loaded machine may take a while to get it there).
  await eventually('the slow request to reach the app', async () => (await user.client.get(`/api/apps/${appId}/logs`)).body.lines as { text: string }[] | undefined,
    (lines) => lines?.some((line) => line.text.includes('slow began')) ?? false, 60_000);
  const removed = user.client.delete(`/api/apps/${appId}`);
  const answer = await inFlight;
  t.is(answer.status, 200);
  t.deepEqual(JSON.parse(answer.body), { slow: 'finished' });
  t.is((await removed).status, 204);
  t.deepEqual(api.runtime.pids(appId), []);
});

test('the sandbox\'s memory limit: an app that allocates past it is killed by the kernel, reported as out of memory, and comes back', async (t) => {
  const { api, user, appId } = await deployed(t);
  if (api.runtime.sandbox.kind !== 'bwrap' || !api.runtime.sandbox.cgroups) {
    t.fail(`this machine gives the sandbox no cgroups (${api.runtime.sandbox.kind}); the tests run as root, where it must`);
    return;
  }
  const hog = await appRequest(api, appId, '/hog');
  t.is(hog.status, 502);
  const events = await eventually('the crash event', async () => (await user.client.get(`/api/apps/${appId}/events`)).body.events as any[],
    (e) => e.some((ev) => ev.reason === 'Crashed'));
  t.regex(events.find((ev) => ev.reason === 'Crashed').message, /out of memory/);
  await eventually('the restarted app', () => appRequest(api, appId, '/'), (r) => r.status === 200, 60_000);
});

test('the sandbox\'s task limit: an app cannot start more threads than its limit', async (t) => {
  const { api, appId } = await deployed(t, { APP_MAX_TASKS: '64' });
  const answer = await appRequest(api, appId, '/threads');
  t.is(answer.status, 200);
  const started = JSON.parse(answer.body).started as number;
  t.true(started > 10 && started < 64, `started ${started} threads`);
  t.is((await appRequest(api, appId, '/')).status, 200);
});
