/**
 * Logs on the Kubernetes runtime come from `pods/log` through the bed's real apiserver, which proxies
 * to a fake kubelet (test/helpers/fake-kubelet.ts). A line reaches a WebSocket client once, also across
 * a reconnect with the last cursor (even between two lines with the same timestamp), and the stream
 * follows the new pod across a rollout. A cursor that is not one, or names a pod not the app's, gives
 * the app's own newest lines.
 */
import test from 'ava';
import WebSocket from 'ws';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import { newApp, signUp, startApi, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import { nextPod } from '../helpers/app-pods.js';
import { bindPod, setPodStatus } from '../helpers/fake-node.js';
import { startFakeKubelet } from '../helpers/fake-kubelet.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';

const files = (v: number) => ({ 'app.py': `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"v": ${v}}\n` });

interface LogClient {
  readonly texts: () => string[];
  readonly lines: { text: string; cursor: string; version: number | null }[];
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
  return { lines, texts: () => lines.map((l) => l.text), close: () => ws.close() };
}

const until = (what: string, check: () => boolean) => eventually(what, async () => (check() ? true : undefined), 15_000);

test('a log line reaches the WebSocket once, across reconnects, and the stream follows the new pod of a rollout', async (t) => {
  const api = await startApi(t, { runtime: 'kubernetes' });
  const admin = KubeRest.admin();
  const ns = api.namespaces?.appsNamespace ?? '';
  const kubelet = await startFakeKubelet(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Logs', files: files(1) });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  const first = await nextPod(admin, ns, app.id);
  await bindPod(admin, ns, first.metadata.name, kubelet.nodeName);
  await setPodStatus(admin, ns, first.metadata.name, 'running-ready');
  await waitForPhase(user, app.id, 'running');
  const write = (pod: string, text: string, at?: Date) => kubelet.write(ns, pod, 'runner', text, at);
  for (const n of [1, 2, 3]) write(first.metadata.name, `line ${n}`);

  const http = (await user.client.get(`/api/apps/${app.id}/logs`)).body.lines;
  t.deepEqual(http.map((l: { text: string }) => l.text), ['line 1', 'line 2', 'line 3']);
  t.is(http[0].version, 1);
  const afterFirst = (await user.client.get(`/api/apps/${app.id}/logs?after=${encodeURIComponent(http[0].cursor)}`)).body.lines;
  t.deepEqual(afterFirst.map((l: { text: string }) => l.text), ['line 2', 'line 3']);
  // Not a cursor: the newest lines asked for, as without one.
  const garbage = await user.client.get(`/api/apps/${app.id}/logs?after=${encodeURIComponent('../../etc/passwd')}&tail=2`);
  t.is(garbage.status, 200);
  t.deepEqual(garbage.body.lines.map((l: { text: string }) => l.text), ['line 2', 'line 3']);
  // A cursor naming a pod that is not this app's (gone, or another app's): this app's newest pod, never that pod.
  const foreign = http[0].cursor.replace(/^[^/]+/, `app-someone-else-7d9f8b6c5-x2x2x`);
  const resumed = (await user.client.get(`/api/apps/${app.id}/logs?after=${encodeURIComponent(foreign)}`)).body.lines;
  t.deepEqual(resumed.map((l: { text: string }) => l.text), ['line 1', 'line 2', 'line 3']);

  const one = await follow(api, user, app.id);
  await until('the existing lines', () => one.lines.length === 3);
  write(first.metadata.name, 'line 4');
  await until('a live line', () => one.texts().includes('line 4'));
  one.close();
  const last = one.lines.at(-1)?.cursor ?? '';

  // Two lines with one timestamp while nobody listens: the cursor must tell them apart.
  const same = new Date();
  write(first.metadata.name, 'same a', same);
  write(first.metadata.name, 'same b', same);
  const two = await follow(api, user, app.id, last);
  await until('the lines written while disconnected', () => two.lines.length >= 2);
  two.close();
  t.deepEqual(two.texts(), ['same a', 'same b']);
  const three = await follow(api, user, app.id, two.lines[0]?.cursor);
  await until('the line after the shared timestamp', () => three.lines.length >= 1);
  write(first.metadata.name, 'line 5');
  await until('line 5', () => three.texts().includes('line 5'));
  t.deepEqual(three.texts(), ['same b', 'line 5'], 'nothing twice, nothing lost');

  // A rollout: the stream moves to the new pod once its container started.
  await user.client.put(`/api/apps/${app.id}/draft`, { revision: 1, files: files(2) });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  const second = await nextPod(admin, ns, app.id, new Set([first.metadata.name]));
  await bindPod(admin, ns, second.metadata.name, kubelet.nodeName);
  write(second.metadata.name, 'version 2 starting');
  await setPodStatus(admin, ns, second.metadata.name, 'running-not-ready');
  await until('the new pod\'s first line', () => three.texts().includes('version 2 starting'));
  write(second.metadata.name, 'version 2 ready');
  await until('the new pod\'s live line', () => three.texts().includes('version 2 ready'));
  three.close();
  t.deepEqual(three.texts(), ['same b', 'line 5', 'version 2 starting', 'version 2 ready']);
  t.is(three.lines.at(-1)?.version, 2);
});
