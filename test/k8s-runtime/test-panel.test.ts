/**
 * The test panel on the Kubernetes runtime when the ingress does not answer: a 409 with a sentence,
 * never a 500. (The panel reaching a real app through Traefik is test/real-node/templates.test.ts.)
 */
import test from 'ava';
import { newApp, signUp, startApi } from '../helpers/api.js';

test('fails with 409 and a sentence when the app does not answer', async (t) => {
  const api = await startApi(t, { runtime: 'kubernetes', ingressUrl: 'http://127.0.0.1:9' });
  const user = await signUp(api);
  const app = await newApp(user);
  const res = await user.client.post(`/api/apps/${app.id}/request`, { method: 'GET', path: '/', headers: {} });
  t.is(res.status, 409);
  t.regex(res.body.error.message, /^The app did not answer/);
});
