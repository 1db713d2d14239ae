/**
 * fp logs --follow across a dropped connection: the log WebSocket runs through a TCP relay the test
 * cuts; fp reconnects with the last line's cursor, so the lines the app printed meanwhile arrive, and
 * none arrives twice.
 */
import test from 'ava';
import { createConnection, createServer, type Socket } from 'node:net';
import { appRequest, newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';
import { fpFor } from '../helpers/cli.js';

const files = {
  'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/shout")\ndef shout(n: int = 0):\n    print(f"marker-{n}", flush=True)\n    return {"n": n}\n',
};

/** A TCP relay to `port` whose connections the test can cut; it counts the WebSocket upgrades through it. */
async function relay(t: { teardown(fn: () => void): void }, port: number): Promise<{ port: number; cut(): number; upgrades(): number }> {
  const open = new Set<Socket>();
  let upgrades = 0;
  const server = createServer((client) => {
    client.once('data', (chunk) => { if (/^upgrade: websocket/im.test(String(chunk))) upgrades += 1; });
    const upstream = createConnection(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => { for (const s of open) s.destroy(); server.close(); });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    upgrades: () => upgrades,
    cut: () => {
      const count = open.size;
      for (const s of open) s.destroy();
      return count;
    },
  };
}

test('fp logs --follow reconnects after a dropped connection without losing or repeating a line', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const app = await newApp(ada, { name: 'Chatty', files });
  t.is((await ada.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  await waitForPhase(ada, app.id, 'running', 120_000);
  const token = (await ada.client.post('/api/auth/tokens', { name: 'logs' })).body.token as string;
  const via = await relay(t, api.port);
  const fp = await fpFor(t);
  const follow = fp.spawn(['logs', app.id, '--follow', '--tail', '5'], { env: { FP_URL: `http://127.0.0.1:${via.port}`, FP_TOKEN: token } });
  t.teardown(() => { follow.child.kill(); });

  const streaming = async (count: number) => {
    const deadline = Date.now() + 30_000;
    while (via.upgrades() < count) {
      if (Date.now() > deadline) throw new Error(`fp did not open log stream ${count}:\n${JSON.stringify(follow.output())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await streaming(1);
  await appRequest(api, app.id, '/shout?n=1');
  await follow.waitFor(/marker-1/);
  t.true(via.cut() > 0, 'the relay had the log stream open');
  await appRequest(api, app.id, '/shout?n=2');
  await appRequest(api, app.id, '/shout?n=3');
  await follow.waitFor(/interrupted.*reconnecting/);
  await follow.waitFor(/marker-3/);
  await streaming(2);
  await appRequest(api, app.id, '/shout?n=4');
  await follow.waitFor(/marker-4/);
  const printed = follow.output().stdout.split('\n').map((line) => /marker-(\d)/.exec(line)?.[1]).filter(Boolean);
  t.deepEqual(printed, ['1', '2', '3', '4'], follow.output().stdout);
});
