/**
 * Fixture-only (ARCHITECTURE.md): two log lines with the very same timestamp. A real kubelet stamps
 * each line with nanoseconds, so a real node practically never writes two alike; the cursor still must
 * tell them apart. Here `pods/log` goes through the bed's real apiserver to a fake kubelet
 * (test/helpers/fake-kubelet.ts) that writes them deliberately. Everything else about logs runs on the
 * real node (test/real-node/logs.test.ts).
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

test('two lines with one timestamp, written while nobody listens, each arrive once after a reconnect', async (t) => {
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
  const write = (text: string, at?: Date) => kubelet.write(ns, first.metadata.name, 'runner', text, at);
  write('line 1');

  const one = await follow(api, user, app.id);
  await until('the existing line', () => one.lines.length === 1);
  one.close();
  const last = one.lines.at(-1)?.cursor ?? '';

  const same = new Date();
  write('same a', same);
  write('same b', same);
  const two = await follow(api, user, app.id, last);
  await until('the lines written while disconnected', () => two.lines.length >= 2);
  two.close();
  t.deepEqual(two.texts(), ['same a', 'same b']);
  const three = await follow(api, user, app.id, two.lines[0]?.cursor);
  await until('the line after the shared timestamp', () => three.lines.length >= 1);
  write('line 2');
  await until('line 2', () => three.texts().includes('line 2'));
  three.close();
  t.deepEqual(three.texts(), ['same b', 'line 2'], 'nothing twice, nothing lost');
});
