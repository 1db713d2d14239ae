/**
 * One reconciling API replica at a time (issue 18), as api/main.ts runs it against the bed's
 * kube-apiserver with the platform's own RBAC: of two API processes on one database, only the Lease's
 * holder reconciles (objects of an unknown app are removed once, by it); a progress stream opened on
 * one replica follows a deploy started through the other; killed outright, the holder is replaced
 * within the Lease's time and the new one finishes the work; a graceful stop hands over at once.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelKeys, reconcilerLeaseName, synthUserApp } from '../../constructs/index.js';
import { applyUserApp, connectKube } from '../../api/k8s/index.js';
import { freePort } from '../../scripts/lib/ports.js';
import { writeKubeconfig } from '../bed/kubeconfig.js';
import { startApiProcess, type ApiProcess } from '../helpers/api-process.js';
import { newApp, signUp } from '../helpers/api.js';
import { kubeBed, mongoUri, uniqueName, venvPython } from '../helpers/bed.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';
import { platformNamespaces } from '../helpers/platform-identity.js';
import { sampleApp } from '../helpers/sample-app.js';
import { connectDatabase } from '../../api/db/database.js';

const leaseSeconds = 4;

/** The app's deploy progress (server-sent events) from one replica, read until `until` matches or 60 s pass. */
async function progressOn(url: string, appId: string, headers: Record<string, string>, until: RegExp): Promise<string> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 60_000);
  let text = '';
  try {
    const response = await fetch(`${url}/api/apps/${appId}/progress`, { headers, signal: abort.signal });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    while (reader && !until.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return text;
}

interface LeaseSpec { holderIdentity?: string | null; leaseTransitions?: number; leaseDurationSeconds?: number }

test('one API replica reconciles at a time through the Lease; killed, the other takes over within the Lease\'s time, and nothing is done twice', async (t) => {
  const ns = await platformNamespaces(t, 'lease');
  const bed = kubeBed();
  const admin = KubeRest.admin();
  const dir = await mkdtemp(join(tmpdir(), 'fp-lease-'));
  const kubeconfig = join(dir, 'platform.kubeconfig');
  await writeKubeconfig(kubeconfig, { server: bed.server, caFile: bed.caFile, user: 'platform', token: ns.token });
  const dbName = uniqueName('lease').replace(/-/g, '_');
  const shared: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1',
    MONGO_URI: mongoUri(), MONGO_DB: dbName, SECRET_KEY: randomBytes(32).toString('hex'), FP_PYTHON: venvPython(),
    RUNTIME: 'kubernetes', KUBECONFIG: kubeconfig, APPS_NAMESPACE: ns.appsNamespace, PLATFORM_NAMESPACE: ns.platformNamespace,
    APP_DOMAIN: 'apps.test', BASE_DOMAIN: 'platform.test', RECONCILE_SECONDS: '10', LEASE_SECONDS: String(leaseSeconds), DATABASE_PROVIDER: 'none',
  };
  const started: ApiProcess[] = [];
  const replica = async (name: string) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = await startApiProcess({ ...shared, PORT: String(port), PUBLIC_URL: url, POD_NAME: name }, url);
    started.push(api);
    return { api, url };
  };
  t.teardown(async () => {
    for (const api of started) api.child.kill('SIGKILL');
    const db = await connectDatabase(mongoUri(), dbName);
    await db.db.dropDatabase();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${ns.platformNamespace}/leases/${reconcilerLeaseName}`;
  const lease = async () => ((await admin.call<{ spec?: LeaseSpec }>('GET', leasePath)).body.spec ?? {});
  const heldBy = (name: string, timeoutMs: number) => eventually(`the Lease held by ${name}`, async () => ((await lease()).holderIdentity === name ? true : undefined), timeoutMs);

  // Objects of apps the platform does not know, applied as the platform: a reconcile pass removes them.
  const client = connectKube({ kind: 'token', server: bed.server, token: ns.token, caFile: bed.caFile });
  const stranger = async () => {
    const id = 'zz' + randomBytes(4).toString('hex');
    await applyUserApp(client, ns.appsNamespace, id, synthUserApp(sampleApp({ namespace: ns.appsNamespace, appId: id })).objects);
    return id;
  };
  const gone = (id: string) => eventually(`the unknown app ${id}'s objects to be removed`, async () => (
    (await admin.list(`/api/v1/namespaces/${ns.appsNamespace}/services`, `${labelKeys.appId}=${id}`)).length === 0 ? true : undefined), 60_000);

  const a = await replica('api-a');
  await heldBy('api-a', 30_000);
  const b = await replica('api-b');
  await eventually('the follower to report itself ready (it has nothing to converge)', async () => (
    ((await (await fetch(`${b.url}/api/health`)).json()) as { status: string }).status === 'ok' ? true : undefined), 30_000);
  await eventually('api-b to say it follows api-a', async () => (/lease: following api-a/.test(b.api.output()) ? true : undefined), 30_000);

  const first = await stranger();
  await gone(first);
  const removals = () => started.map((api) => (api.output().match(/reconciled: \d+ apps? ensured, 1 removed/g) ?? []).length);
  // The pass says what it did once it ends, a moment after the objects went.
  const said = (total: number) => eventually(`${total} removal(s) in the logs`, async () => (removals().reduce((x, y) => x + y, 0) >= total ? true : undefined), 30_000);
  await said(1);
  t.deepEqual(removals(), [1, 0], 'removed once, by the Lease\'s holder; the follower reconciled nothing');
  t.notRegex(b.api.output(), /reconciled:|lease: leading/);

  // A deploy through the follower, followed by a progress stream opened on the holder: every replica
  // watches the same objects, so any replica streams any rollout.
  const user = await signUp({ url: b.url });
  const app = await newApp(user, { name: 'Followed', templateId: 'builtin-hello-fastapi' });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  const seen = await progressOn(a.url, app.id, user.client.authorization(), /by another API replica/);
  t.regex(seen, /"phase":"applying","version":1,[^\n]*version 1's objects were applied \(by another API replica\)/);

  // Killed outright: it cannot release the Lease, so api-b waits out its time, then takes over.
  const killedAt = Date.now();
  a.api.child.kill('SIGKILL');
  await a.api.exited;
  await heldBy('api-b', 60_000);
  const takeoverMs = Date.now() - killedAt;
  t.log(`took over ${takeoverMs} ms after the holder was killed (Lease ${leaseSeconds} s)`);
  // The Lease's time, one follower retry (a fifth of it), and slack for a loaded machine's slow requests.
  t.true(takeoverMs <= leaseSeconds * 1000 * 1.2 + 5000, `took over after ${takeoverMs} ms`);
  // Not before: the follower counts the Lease's time from when it saw the last renewal (at most a renewal period, a third, earlier).
  t.true(takeoverMs >= (leaseSeconds * 1000 * 2) / 3 - 500, `not before the Lease ran out (${takeoverMs} ms)`);
  // Its log line arrives over a pipe, a moment after the Lease shows it.
  await eventually('api-b to say it leads', async () => (/lease: leading \(.* as api-b: expired \(held by api-a\)\)/.test(b.api.output()) ? true : undefined), 10_000);
  const second = await stranger();
  await gone(second);
  await said(2);
  t.deepEqual(removals(), [1, 1], 'the new holder reconciles; nothing was removed twice');

  // A graceful stop releases the Lease: the next replica takes over at its next try, not after the Lease's time.
  const c = await replica('api-c');
  await eventually('api-c to say it follows api-b', async () => (/lease: following api-b/.test(c.api.output()) ? true : undefined), 30_000);
  const stoppedAt = Date.now();
  b.api.child.kill('SIGTERM');
  t.is(await b.api.exited, 0);
  await heldBy('api-c', 30_000);
  t.log(`handed over ${Date.now() - stoppedAt} ms after a graceful stop`);
  await eventually('api-c to say it leads', async () => (/lease: leading \(.* as api-c: released by its holder\)/.test(c.api.output()) ? true : undefined), 10_000);
  t.is((await lease()).leaseTransitions, 2, 'api-a → api-b → api-c');
});
