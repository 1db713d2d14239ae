/** The Kubernetes bed is what it claims: TLS, token authentication, RBAC, Traefik's CRDs, one version. */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { kubeBed, uniqueName } from '../helpers/bed.js';
import { KubeRest } from '../helpers/kube-rest.js';
import { kubectl } from '../helpers/kubectl.js';
import { readBedPaths } from './paths.js';

test('fails when a request has no token or a wrong one: 401', async (t) => {
  const admin = KubeRest.admin();
  t.is((await admin.withToken('').call('GET', '/api/v1/namespaces')).status, 401);
  t.is((await admin.withToken('not-a-token').call('GET', '/api/v1/namespaces')).status, 401);
});

test('fails when a request is plain HTTP: the apiserver only speaks TLS', async (t) => {
  const port = new URL(kubeBed().server).port;
  const answer = await new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/version' }, (res) => resolve(`status ${res.statusCode}`));
    req.on('error', (e) => resolve(`error ${e.message}`));
    req.end();
  });
  t.is(answer, 'status 400', 'an HTTP request to a TLS port is answered 400 by Go\'s TLS server');
});

test('RBAC denies a service account with no bindings', async (t) => {
  const admin = KubeRest.admin();
  const ns = await admin.namespace(t, uniqueName('rbac'));
  t.is((await admin.call('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'nobody' } })).status, 201);
  const tokenRes = await admin.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/nobody/token`, { spec: {} });
  const nobody = admin.withToken(tokenRes.body.status.token);
  t.is((await nobody.call('GET', `/api/v1/namespaces/${ns}/pods`)).status, 403);
});

test("every Traefik CRD from the Go module is installed and established", async (t) => {
  const file = await readFile(readBedPaths().traefikCrds, 'utf8');
  const expected = [...file.matchAll(/^ {2}name: (\S+\.traefik\.io)$/gm)].map((m) => m[1]).sort();
  t.true(expected.length >= 10);
  const crds = await KubeRest.admin().list('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  const established = crds
    .filter((c: any) => c.status?.conditions?.some((k: any) => k.type === 'Established' && k.status === 'True'))
    .map((c) => c.metadata.name);
  for (const name of expected) t.true(established.includes(name ?? ''), `${name} established`);
});

test("kubectl and the apiserver are the same pinned version, not what is on PATH", async (t) => {
  const versions = await readFile(new URL('../../scripts/versions.env', import.meta.url), 'utf8');
  const pinned = /^KUBE_VERSION=(.+)$/m.exec(versions)?.[1];
  const result = await kubectl(['version', '-o', 'json']);
  t.is(result.code, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
  t.is(parsed.clientVersion.gitVersion, `v${pinned}`);
  t.is(parsed.serverVersion.gitVersion, `v${pinned}`);
});
