/**
 * The fake kubelet behind the real apiserver: pods/log requests go through kube-apiserver's kubelet
 * proxy (TLS both ways, signed by the bed CA) to test/helpers/fake-kubelet.ts, which answers as a
 * v1.32 kubelet does. The assertions also pin what the apiserver does on that path.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCert } from './certs.js';
import { kubeBed, uniqueName } from '../helpers/bed.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet.js';
import { bindPod, registerNode } from '../helpers/fake-node.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';

interface Setup {
  readonly admin: KubeRest;
  readonly kubelet: FakeKubelet;
  readonly ns: string;
  /** Writes a line to the `runner` container of the pod `app`. */
  write(line: string, at?: Date): void;
  /** GETs the pod's logs through the apiserver. */
  logs(query: string, pod?: string): Promise<{ status: number; body: any }>;
}

async function createPod(admin: KubeRest, ns: string, name: string): Promise<void> {
  // The ServiceAccount admission plugin refuses pods until the controller has made `default`.
  await eventually(`pod ${ns}/${name} to be created`, async () => {
    const res = await admin.call('POST', `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { automountServiceAccountToken: false, containers: [{ name: 'runner', image: 'registry.invalid/runner:1' }] },
    });
    if (res.status !== 201) throw new Error(`creating pod → ${res.status}: ${JSON.stringify(res.body)}`);
    return true;
  });
}

async function setup(t: ExecutionContext, prefix: string): Promise<Setup> {
  const admin = KubeRest.admin();
  const [kubelet, ns] = await Promise.all([startFakeKubelet(t), admin.namespace(t, uniqueName(prefix))]);
  await createPod(admin, ns, 'app');
  await bindPod(admin, ns, 'app', kubelet.nodeName);
  return {
    admin, kubelet, ns,
    write: (line, at) => kubelet.write(ns, 'app', 'runner', line, at),
    logs: (query, pod = 'app') => admin.call('GET', `/api/v1/namespaces/${ns}/pods/${pod}/log?${query}`),
  };
}

const at = (seconds: string): Date => new Date(`2024-01-02T03:04:${seconds}Z`);

function writeThree(s: Setup): void {
  s.write('one', at('05.123'));
  s.write('two', at('06'));
  s.write('three', at('07.5'));
}

interface LogStream {
  readonly status: number;
  /** Resolves with everything received so far once it matches `pattern`. */
  until(pattern: RegExp): Promise<string>;
  /** Resolves with everything received once the apiserver ends the response. */
  readonly ended: Promise<string>;
  abort(): void;
}

/** A raw streaming GET (KubeRest.call buffers the whole body), as the bed admin. */
function openStream(path: string): Promise<LogStream> {
  const bed = kubeBed();
  return readFile(bed.caFile, 'utf8').then((ca) => new Promise((resolve, reject) => {
    const options: RequestOptions = { ca, headers: { authorization: `Bearer ${bed.adminToken}` } };
    const req = request(`${bed.server}${path}`, options, (res) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const waiter of waiters) waiter();
      });
      const ended = new Promise<string>((done) => res.on('end', () => done(text)));
      ended.catch(() => undefined);
      resolve({
        status: res.statusCode ?? 0,
        ended,
        abort: () => req.destroy(),
        until: (pattern) => new Promise((done, fail) => {
          const timer = setTimeout(() => fail(new Error(`no ${pattern} in the stream after 10 s; got ${JSON.stringify(text)}`)), 10_000);
          const check = (): void => {
            if (!pattern.test(text)) return;
            clearTimeout(timer);
            waiters.delete(check);
            done(text);
          };
          waiters.add(check);
          check();
        }),
      });
    });
    req.on('error', reject);
    req.end();
  }));
}

test('pods/log through the apiserver returns the written lines with the kubelet\'s nine-digit timestamps', async (t) => {
  const s = await setup(t, 'klog');
  writeThree(s);
  const res = await s.logs('container=runner&timestamps=true');
  t.is(res.status, 200);
  t.is(res.body, [
    '2024-01-02T03:04:05.123000000Z one',
    '2024-01-02T03:04:06.000000000Z two',
    '2024-01-02T03:04:07.500000000Z three',
    '',
  ].join('\n'));
  // The apiserver forwards only the options that are set, and never `container` (it is in the path).
  t.deepEqual(s.kubelet.requests, [{ path: `/containerLogs/${s.ns}/app/runner`, query: { timestamps: 'true' } }]);
  t.is((await s.logs('')).body, 'one\ntwo\nthree\n', 'a pod with one container needs no container parameter');
});

test('tailLines counts from the end of the log and limitBytes cuts the output mid-line', async (t) => {
  const s = await setup(t, 'ktail');
  writeThree(s);
  t.is((await s.logs('container=runner&tailLines=1')).body, 'three\n');
  t.is((await s.logs('container=runner&tailLines=2&limitBytes=5')).body, 'two\nt');
  t.is((await s.logs('container=runner&tailLines=0')).body, '');
  t.deepEqual(s.kubelet.requests.map((r) => r.query), [{ tailLines: '1' }, { limitBytes: '5', tailLines: '2' }, { tailLines: '0' }]);
});

test('sinceTime keeps lines stamped at or after it, and the apiserver truncates it to whole seconds', async (t) => {
  const s = await setup(t, 'ksince');
  writeThree(s);
  t.is((await s.logs('sinceTime=2024-01-02T03:04:06Z')).body, 'two\nthree\n', 'a line stamped exactly at sinceTime is kept');
  t.is((await s.logs(`sinceTime=${encodeURIComponent('2024-01-02T03:04:06.900Z')}`)).body, 'two\nthree\n', '06.9 reaches the kubelet as 06');
  t.is(s.kubelet.requests[1]?.query.sinceTime, '2024-01-02T03:04:06Z');
  t.is((await s.logs(`sinceTime=${encodeURIComponent('2024-01-02T05:04:06+02:00')}`)).body, 'two\nthree\n', 'offsets are converted to UTC');
  t.is(s.kubelet.requests[2]?.query.sinceTime, '2024-01-02T03:04:06Z');

  s.write('recent');
  t.is((await s.logs('sinceSeconds=60')).body, 'recent\n');
  t.deepEqual(s.kubelet.requests[3]?.query, { sinceSeconds: '60' });
});

test('follow=true streams a line written after the request started, and the kubelet\'s close() ends the stream', async (t) => {
  const s = await setup(t, 'kfollow');
  s.write('before');
  const stream = await openStream(`/api/v1/namespaces/${s.ns}/pods/app/log?container=runner&follow=true&timestamps=true`);
  t.is(stream.status, 200);
  t.regex(await stream.until(/before\n/), /^\S+Z before\n$/);
  s.write('after', at('09'));
  t.regex(await stream.until(/after\n/), /before\n2024-01-02T03:04:09\.000000000Z after\n$/);
  t.deepEqual(s.kubelet.requests[0]?.query, { follow: 'true', timestamps: 'true' });
  stream.abort();

  const second = await openStream(`/api/v1/namespaces/${s.ns}/pods/app/log?follow=true&tailLines=0`);
  s.write('only this');
  await second.until(/only this\n/);
  await s.kubelet.close();
  t.is(await second.ended, 'only this\n');
});

test('fails when the container is not in the pod: the apiserver answers 400 without asking the kubelet', async (t) => {
  const s = await setup(t, 'kbad');
  const res = await s.logs('container=nope');
  t.is(res.status, 400);
  t.like(res.body, { kind: 'Status', reason: 'BadRequest', message: 'container nope is not valid for pod app' });
  t.is(s.kubelet.requests.length, 0);
});

test('a pod not yet bound to a node has no logs: the apiserver answers 204 without asking a kubelet', async (t) => {
  const s = await setup(t, 'kunbound');
  await createPod(s.admin, s.ns, 'pending');
  const res = await s.logs('container=runner', 'pending');
  t.is(res.status, 204);
  t.is(res.body, '');
  t.is(s.kubelet.requests.length, 0);
});

test('fails when the container is waiting to start: the kubelet\'s 400 message comes back as a BadRequest status', async (t) => {
  const s = await setup(t, 'kwait');
  const patched = await s.admin.call('PATCH', `/api/v1/namespaces/${s.ns}/pods/app/status`, {
    status: { phase: 'Pending', containerStatuses: [{ name: 'runner', image: 'registry.invalid/runner:1', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
  }, 'application/merge-patch+json');
  t.is(patched.status, 200);
  s.write('ignored: the status says the container has not started');
  const res = await s.logs('container=runner');
  t.is(res.status, 400);
  t.like(res.body, { kind: 'Status', reason: 'BadRequest', message: 'container "runner" in pod "app" is waiting to start: ContainerCreating' });
  t.is(s.kubelet.requests.length, 1);
});

test('fails when the kubelet does not run the pod: its 404 comes back as a NotFound status, not a hang', async (t) => {
  const s = await setup(t, 'kstray');
  // A second Node whose kubelet endpoint is the same server: the fake kubelet only runs its own node's pods.
  const other = uniqueName('elsewhere');
  await registerNode(s.admin, other, { kubeletPort: s.kubelet.port });
  t.teardown(async () => { await s.admin.call('DELETE', `/api/v1/nodes/${other}`); });
  await createPod(s.admin, s.ns, 'stray');
  await bindPod(s.admin, s.ns, 'stray', other);
  const res = await s.logs('container=runner', 'stray');
  t.is(res.status, 404);
  // The apiserver drops the kubelet's text for a 404 (NewGenericServerResponse keeps it only for other codes).
  t.like(res.body, { kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource ( pods/log stray)' });
  t.deepEqual(res.body.details, { name: 'stray', kind: 'pods/log' });
  t.is(s.kubelet.requests.length, 1);
});

test('fails when the kubelet is down: the apiserver answers 500 at once', async (t) => {
  const s = await setup(t, 'kdown');
  await s.kubelet.close();
  const res = await s.logs('container=runner');
  t.is(res.status, 500);
  t.regex(res.body.message, /connect: connection refused/);
});

test('the fake kubelet itself only talks to clients with a certificate from the bed CA', async (t) => {
  const s = await setup(t, 'ktls');
  const bed = kubeBed();
  const dir = await mkdtemp(join(tmpdir(), 'kubelet-client-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const client = await issueCert({ cert: bed.caFile, key: bed.caKeyFile }, dir, 'client', { cn: 'test-client' });
  const [ca, cert, key] = await Promise.all([readFile(bed.caFile), readFile(client.cert), readFile(client.key)]);
  const get = (path: string, withCert: boolean): Promise<string> => new Promise((resolve) => {
    const options: RequestOptions = withCert ? { ca, cert, key } : { ca };
    const req = request(`https://127.0.0.1:${s.kubelet.port}${path}`, options, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    });
    req.on('error', (error) => resolve(`error ${error.message}`));
    req.end();
  });
  t.regex(await get(`/containerLogs/${s.ns}/app/runner`, false), /^error /);
  s.write('hello');
  t.is(await get(`/containerLogs/${s.ns}/app/runner`, true), '200 hello\n');
  t.is(await get(`/containerLogs/${s.ns}/app/nope`, true), '404 container "nope" not found in pod "app"');
  t.is(await get(`/containerLogs/${s.ns}/ghost/runner`, true), '404 pod "ghost" does not exist');
  t.is(await get(`/containerLogs/${s.ns}/app/runner?tailLines=x`, true), '400 {"message": "Unable to decode query."}');
  t.is(await get(`/containerLogs/${s.ns}/app/runner?previous=true`, true), '400 previous terminated container "runner" in pod "app" not found');
});
