/**
 * Logs from the real kubelet (pods/log through the node's apiserver) reach a WebSocket client once:
 * live, across a reconnect with the last cursor (lines written while nobody listened arrive, nothing
 * twice), and across a rollout (the stream moves to the new pod from its first line). A cursor that is
 * not one, or names a pod that is not the app's, gives the app's own newest lines. Lines claim no
 * stream: pods/log does not say which one a line came from.
 */
import test from 'ava';
import WebSocket from 'ws';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import { newApp, signUp, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import { eventually } from '../helpers/kube-rest.js';
import { startNodeApi, untilServes, viaIngress } from '../helpers/node.js';

const app = (v: number) => ({
  'app.py': `from fastapi import FastAPI\n\nprint("version ${v} starting", flush=True)\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"v": ${v}}\n\n\n`
    + '@app.get("/say")\ndef say(text: str):\n    print(f"said {text}", flush=True)\n    return {"said": text}\n',
});

interface LogClient {
  readonly lines: { text: string; cursor: string; version: number | null; stream: string | null }[];
  readonly said: () => string[];
  close(): void;
}

async function follow(api: TestApi<KubernetesRuntime>, user: TestUser, appId: string, after?: string): Promise<LogClient> {
  const ticket = (await user.client.post(`/api/apps/${appId}/logs/ticket`)).body;
  const ws = new WebSocket(`${api.url.replace('http', 'ws')}${ticket.url}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
  const lines: LogClient['lines'] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'log') lines.push(message);
  });
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  return { lines, said: () => lines.map((l) => l.text).filter((text) => /^(said |version \d starting)/.test(text)), close: () => ws.close() };
}

const until = (what: string, check: () => boolean) => eventually(what, async () => (check() ? true : undefined), 30_000);

test('a real pod\'s log lines reach the WebSocket once, across a reconnect and a rollout', async (t) => {
  const api = await startNodeApi(t);
  const user = await signUp(api);
  const created = await newApp(user, { name: 'Logs', files: app(1) });
  const id = created.id as string;
  await user.client.post(`/api/apps/${id}/deploy`, {});
  await waitForPhase(user, id, 'running', 90_000);
  await untilServes(id, /"v":1/);
  for (const n of [1, 2, 3]) await viaIngress(id, `/say?text=line-${n}`);

  const http = (await user.client.get(`/api/apps/${id}/logs`)).body.lines as { text: string; cursor: string; version: number; stream: string | null }[];
  const said = http.filter((l) => /^(said |version)/.test(l.text));
  t.deepEqual(said.map((l) => l.text), ['version 1 starting', 'said line-1', 'said line-2', 'said line-3']);
  t.is(said[0]?.version, 1);
  t.true(http.every((l) => l.stream === null), 'no line claims stdout or stderr');
  const afterFirst = (await user.client.get(`/api/apps/${id}/logs?after=${encodeURIComponent(said[1]?.cursor ?? '')}`)).body.lines as { text: string }[];
  t.deepEqual(afterFirst.map((l) => l.text).filter((text) => text.startsWith('said ')), ['said line-2', 'said line-3']);
  const garbage = await user.client.get(`/api/apps/${id}/logs?after=${encodeURIComponent('../../etc/passwd')}&tail=1000`);
  t.is(garbage.status, 200);
  t.true((garbage.body.lines as { text: string }[]).some((l) => l.text === 'said line-3'));
  const foreign = (said[0]?.cursor ?? '').replace(/^[^/]+/, 'app-someone-else-7d9f8b6c5-x2x2x');
  const resumed = (await user.client.get(`/api/apps/${id}/logs?after=${encodeURIComponent(foreign)}`)).body.lines as { text: string }[];
  t.true(resumed.some((l) => l.text === 'version 1 starting'), 'a cursor of a pod that is not the app\'s gives the app\'s own lines');

  const one = await follow(api, user, id);
  await until('the existing lines', () => one.said().length === 4);
  await viaIngress(id, '/say?text=live');
  await until('a live line', () => one.said().includes('said live'));
  one.close();
  const last = one.lines.at(-1)?.cursor ?? '';

  for (const n of [1, 2]) await viaIngress(id, `/say?text=away-${n}`);
  const two = await follow(api, user, id, last);
  await until('the lines written while disconnected', () => two.said().length >= 2);
  await viaIngress(id, '/say?text=back');
  await until('a live line after the reconnect', () => two.said().includes('said back'));

  // A rollout: the stream moves to the new pod once its container started, from its first line.
  await user.client.put(`/api/apps/${id}/draft`, { revision: 1, files: app(2) });
  await user.client.post(`/api/apps/${id}/deploy`, {});
  await until('the new pod\'s first line', () => two.said().includes('version 2 starting'));
  await waitForPhase(user, id, 'running', 90_000);
  await untilServes(id, /"v":2/);
  await new Promise((resolve) => setTimeout(resolve, 7000)); // the old pod drains and goes (preStop 5 s)
  await viaIngress(id, '/say?text=after-rollout');
  await until('a line of the new pod', () => two.said().includes('said after-rollout'));
  two.close();
  t.deepEqual(two.said(), ['said away-1', 'said away-2', 'said back', 'version 2 starting', 'said after-rollout'], 'nothing twice, nothing lost');
  t.is(two.lines.find((l) => l.text === 'said after-rollout')?.version, 2);
});
