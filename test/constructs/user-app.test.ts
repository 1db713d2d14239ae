import test from 'ava';
import { Testing } from 'cdk8s';
import {
  UserApp, synthUserApp, userAppKinds, runnerUid, runnerHealthPath, type ManifestObject, type UserAppChartProps,
} from '../../constructs/index.js';
import { sampleApp as sampleProps } from '../helpers/sample-app.js';

function find(objects: ManifestObject[], kind: string): ManifestObject & Record<string, any> {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${objects.map((o) => o.kind).join(', ')}`);
  return found;
}

test('synthesizes the app objects exactly as snapshotted', (t) => {
  t.snapshot(synthUserApp(sampleProps()).objects);
});

test('synthesizes exactly the kinds the RBAC table lists, in apply order', (t) => {
  const kinds = synthUserApp(sampleProps()).objects.map((o) => `${o.apiVersion}/${o.kind}`);
  t.deepEqual(kinds, userAppKinds.map((k) => `${k.apiVersion}/${k.kind}`));
});

test('a plain cdk8s chart holding a UserApp synthesizes the same objects', (t) => {
  const chart = Testing.chart();
  const props = sampleProps();
  new UserApp(chart, 'Resource', props);
  const plain = Testing.synth(chart).map((o: ManifestObject) => o.kind);
  t.deepEqual(plain, synthUserApp(props).objects.map((o) => o.kind));
});

test('names are deterministic and derived from the app id', (t) => {
  const objects = synthUserApp(sampleProps()).objects;
  t.deepEqual(objects.map((o) => o.metadata.name), ['app-abc123-code', 'app-abc123-env', 'app-abc123', 'app-abc123', 'app-abc123', 'app-abc123']);
  t.true(objects.every((o) => o.metadata.namespace === 'apps'));
});

test('folder paths are mounted back at their paths through items', (t) => {
  const objects = synthUserApp(sampleProps()).objects;
  const deployment = find(objects, 'Deployment');
  const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'code');
  const configMap = find(objects, 'ConfigMap');
  t.deepEqual(
    Object.fromEntries(volume.configMap.items.map((i: { key: string; path: string }) => [i.path, configMap.data[i.key]])),
    sampleProps().files,
  );
});

test('the pod passes restricted pod security and probes the runner health path', (t) => {
  const pod = find(synthUserApp(sampleProps()).objects, 'Deployment').spec.template.spec;
  const runner = pod.containers[0];
  t.is(runner.securityContext.runAsUser, runnerUid);
  t.true(runner.securityContext.runAsNonRoot);
  t.false(runner.securityContext.allowPrivilegeEscalation);
  t.deepEqual(runner.securityContext.capabilities.drop, ['ALL']);
  t.is(runner.securityContext.seccompProfile.type, 'RuntimeDefault');
  t.true(runner.securityContext.readOnlyRootFilesystem);
  t.false(pod.automountServiceAccountToken);
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) t.is(runner[probe].httpGet.path, runnerHealthPath);
  t.is(runner.terminationMessagePolicy, 'FallbackToLogsOnError');
});

test('a changed file or env var changes its own pod-template hash and only that one', (t) => {
  const annotations = (props: UserAppChartProps) =>
    find(synthUserApp(props).objects, 'Deployment').spec.template.metadata.annotations as Record<string, string>;
  const base = annotations(sampleProps());
  const code = annotations(sampleProps({ files: { ...sampleProps().files, 'pkg/mod.py': 'VALUE = 2\n' } }));
  const env = annotations(sampleProps({ env: { GREETING: 'bonjour' } }));
  t.not(code['fastapi-platform.io/code-hash'], base['fastapi-platform.io/code-hash']);
  t.is(code['fastapi-platform.io/env-hash'], base['fastapi-platform.io/env-hash']);
  t.not(env['fastapi-platform.io/env-hash'], base['fastapi-platform.io/env-hash']);
  t.is(env['fastapi-platform.io/code-hash'], base['fastapi-platform.io/code-hash']);
});

test('the route serves the app host and TLS moves it to the secure entry point', (t) => {
  const plain = find(synthUserApp(sampleProps()).objects, 'IngressRoute');
  t.is(plain.spec.routes[0].match, 'Host(`app-abc123.apps.example.com`)');
  t.deepEqual(plain.spec.entryPoints, ['web']);
  const secure = find(synthUserApp(sampleProps({ tls: { certResolver: 'le' } })).objects, 'IngressRoute');
  t.deepEqual(secure.spec.entryPoints, ['websecure']);
  t.deepEqual(secure.spec.tls, { certResolver: 'le' });
});

test('without a database the Secret holds only the env vars', (t) => {
  const { databaseUri: _unused, ...props } = sampleProps();
  const secret = find(synthUserApp(props).objects, 'Secret');
  t.deepEqual(Object.keys(secret.data), ['GREETING']);
});

for (const [what, overrides, message] of [
  ['the app id has capitals', { appId: 'ABC' }, /invalid appId "ABC"/],
  ['the owner id has a slash', { ownerId: 'a/b' }, /invalid ownerId "a\/b"/],
  ['a path climbs out of the project', { files: { 'app.py': '', '../etc/passwd': '' } }, /invalid files "..\/etc\/passwd"/],
  ['a path is absolute', { files: { 'app.py': '', '/abs.py': '' } }, /invalid files "\/abs.py"/],
  ['the entrypoint is missing from files', { entrypoint: 'main.py' }, /invalid entrypoint "main.py"/],
  ['the entrypoint is not Python', { files: { 'app.txt': '' }, entrypoint: 'app.txt' }, /invalid entrypoint "app.txt"/],
  ['an env var name is reserved', { env: { PORT: '1' } }, /invalid env "PORT": this name is reserved/],
  ['an env var uses a platform prefix', { env: { PLATFORM_MONGO_URI: 'x' } }, /invalid env "PLATFORM_MONGO_URI": names starting with PLATFORM_/],
  ['an env var name has a dash', { env: { 'MY-VAR': '1' } }, /invalid env "MY-VAR": use letters/],
  ['the project exceeds a ConfigMap', { files: { 'app.py': 'x'.repeat(1_000_001) } }, /invalid files "1000\d+ bytes"/],
  ['the domain is not a DNS name', { appDomain: 'Apps_Example' }, /invalid appDomain/],
  ['a request exceeds its limit', { resources: { cpuMillis: { request: 600, limit: 500 } } }, /invalid resources.cpuMillis "?600\/500"?/],
  ['replicas is negative', { replicas: -1 }, /invalid replicas -1/],
] as const) {
  test(`fails when ${what}, naming the prop`, (t) => {
    t.throws(() => synthUserApp(sampleProps(overrides as Partial<UserAppChartProps>)), { message: message });
  });
}
