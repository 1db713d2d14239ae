/**
 * The test panel on the Kubernetes runtime: the API calls the app's Service in-cluster with the app's
 * own Host and without the platform's credentials. Here the "Service" is a real runner process on
 * loopback running the app's code, so the request and its answer are real.
 */
import test from 'ava';
import { newApp, signUp, startApi } from '../helpers/api.js';
import { startRunner } from '../helpers/runner.js';

const echo = {
  'app.py': 'from fastapi import FastAPI, Request\n\napp = FastAPI()\n\n\n@app.post("/{path:path}")\nasync def echo(path: str, request: Request):\n'
    + '    return {"path": path, "headers": dict(request.headers), "body": (await request.body()).decode()}\n',
};

test('the test panel reaches the app\'s Service with its own Host, without the platform\'s credentials', async (t) => {
  const runner = await startRunner(t, { files: echo });
  const api = await startApi(t, { runtime: 'kubernetes', ingressUrl: runner.url });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Echo', files: echo });
  const res = await user.client.post(`/api/apps/${app.id}/request`, {
    method: 'POST', path: '/items?x=1', body: '{"a":1}',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fpa.stolen.token', cookie: '__Host-fp_session=fps_abc; theme=dark' },
  });
  t.is(res.status, 200);
  t.is(res.body.status, 200);
  const echoed = JSON.parse(res.body.body);
  t.like(echoed, { path: 'items', body: '{"a":1}' });
  t.is(echoed.headers.host, `app-${app.id}.apps.test`);
  t.is(echoed.headers.cookie, 'theme=dark');
  t.is(echoed.headers.authorization, undefined);
  t.true(res.body.latencyMs > 0);
});

test('fails with 409 and a sentence when the app does not answer', async (t) => {
  const api = await startApi(t, { runtime: 'kubernetes', ingressUrl: 'http://127.0.0.1:9' });
  const user = await signUp(api);
  const app = await newApp(user);
  const res = await user.client.post(`/api/apps/${app.id}/request`, { method: 'GET', path: '/', headers: {} });
  t.is(res.status, 409);
  t.regex(res.body.error.message, /^The app did not answer/);
});
