/**
 * The gateway's Prometheus text, as the chart's gateway pods and the local platform (METRICS_PORT)
 * serve it: counters of real requests through the local gateway, by app and status class, a
 * cumulative latency histogram, never a path label, and nothing but /metrics on that port.
 */
import test from 'ava';
import { metricsServer } from '../../api/gateway/index.js';
import { appRequest, newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';

const files = { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"ok": True}\n' };

test('/metrics counts each app\'s requests by status class with a cumulative histogram, labelled by app only', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Counted', files });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  await waitForPhase(user, app.id, 'running', 120_000);
  for (let i = 0; i < 3; i++) t.is((await appRequest(api, app.id, `/?n=${i}`)).status, 200);
  t.is((await appRequest(api, app.id, '/missing/secret-path')).status, 404);

  const traffic = api.gateway?.traffic;
  if (!traffic) return t.fail('the local runtime has a gateway');
  const server = metricsServer(traffic);
  const { port } = await server.listen(0, '127.0.0.1');
  t.teardown(() => server.close());
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const value = (line: string) => Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1]);
  t.is(value(`fp_gateway_requests_total{app="${app.id}",class="2xx"}`), 3);
  t.is(value(`fp_gateway_requests_total{app="${app.id}",class="4xx"}`), 1);
  t.is(value(`fp_gateway_request_duration_seconds_count{app="${app.id}"}`), 4);
  t.is(value(`fp_gateway_request_duration_seconds_bucket{app="${app.id}",le="+Inf"}`), 4);
  const buckets = text.split('\n').filter((l) => l.startsWith(`fp_gateway_request_duration_seconds_bucket{app="${app.id}"`)).map((l) => Number(l.split(' ')[1]));
  t.deepEqual(buckets, [...buckets].sort((a, b) => a - b), 'buckets are cumulative');
  t.notRegex(text, /secret-path|path=/, 'no path label');
  t.is((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
});
