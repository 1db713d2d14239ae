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

test('names are deterministic and derived from the app id; code and env are named by their content', (t) => {
  const synthesized = synthUserApp(sampleProps());
  const objects = synthesized.objects;
  t.deepEqual(objects.map((o) => o.metadata.name), [
    `app-abc123-code-${synthesized.codeHash.slice(0, 10)}`, `app-abc123-env-${synthesized.envHash.slice(0, 10)}`,
    'app-abc123', 'app-abc123', 'app-abc123', 'app-abc123',
  ]);
  t.true(objects.every((o) => o.metadata.namespace === 'apps'));
});

test('each version\'s code and env are immutable objects of their own, and the pod mounts exactly those', (t) => {
  const v1 = synthUserApp(sampleProps());
  const v2 = synthUserApp(sampleProps({ files: { ...sampleProps().files, 'pkg/mod.py': 'VALUE = 2\n' } }));
  const configMap = find(v1.objects, 'ConfigMap');
  const secret = find(v1.objects, 'Secret');
  t.true(configMap.immutable);
  t.true(secret.immutable);
  t.not(find(v2.objects, 'ConfigMap').metadata.name, configMap.metadata.name, 'new code, new ConfigMap: the old pods keep theirs');
  t.is(find(v2.objects, 'Secret').metadata.name, secret.metadata.name, 'unchanged env, same Secret');
  const pod = find(v1.objects, 'Deployment').spec.template.spec;
  t.is(pod.volumes.find((v: { name: string }) => v.name === 'code').configMap.name, configMap.metadata.name);
  t.deepEqual(pod.containers[0].envFrom, [{ secretRef: { name: secret.metadata.name } }]);
});

test('failure windows and draining are props, with a minute to start, five minutes to progress and 5 + 25 s to drain by default', (t) => {
  const spec = (props: UserAppChartProps) => find(synthUserApp(props).objects, 'Deployment').spec;
  const defaults = spec(sampleProps());
  t.is(defaults.progressDeadlineSeconds, 300);
  t.like(defaults.template.spec.containers[0].startupProbe, { periodSeconds: 1, failureThreshold: 60 });
  t.deepEqual(defaults.template.spec.containers[0].lifecycle, { preStop: { exec: { command: ['sleep', '5'] } } });
  t.is(defaults.template.spec.terminationGracePeriodSeconds, 30);
  t.true(defaults.template.spec.containers[0].env.some((e: { name: string; value: string }) => e.name === 'FP_GRACEFUL_SECONDS' && e.value === '25'));
  const quick = spec(sampleProps({ failureWindows: { startupSeconds: 3, progressDeadlineSeconds: 8 }, drain: { delaySeconds: 2, requestSeconds: 10 } }));
  t.is(quick.progressDeadlineSeconds, 8);
  t.like(quick.template.spec.containers[0].startupProbe, { periodSeconds: 1, failureThreshold: 3 });
  t.deepEqual(quick.template.spec.containers[0].lifecycle, { preStop: { exec: { command: ['sleep', '2'] } } });
  t.is(quick.template.spec.terminationGracePeriodSeconds, 12);
  t.is(spec(sampleProps({ drain: { delaySeconds: 0 } })).template.spec.containers[0].lifecycle, undefined);
});

test('egress blocks the private ranges plus the configured ones, and the database is where the config says', (t) => {
  const policy = (props: UserAppChartProps) => find(synthUserApp(props).objects, 'NetworkPolicy').spec;
  const internet = (spec: any) => spec.egress.find((r: any) => r.to[0].ipBlock?.cidr === '0.0.0.0/0').to[0].ipBlock.except;
  t.deepEqual(internet(policy(sampleProps())), ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']);
  const custom = policy(sampleProps({ network: { blockedCidrs: ['203.0.113.7/32', '10.0.0.0/8'], database: { cidr: '10.9.8.7/32', port: 27018 } } }));
  t.deepEqual(internet(custom), ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '203.0.113.7/32']);
  t.deepEqual(custom.egress[1], { to: [{ ipBlock: { cidr: '10.9.8.7/32' } }], ports: [{ port: 27018, protocol: 'TCP' }] });
  const named = policy(sampleProps({ network: { database: { namespace: 'databases', port: 27017 } } }));
  t.deepEqual(named.egress[1].to, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'databases' } } }]);
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
  ['the startup window is zero', { failureWindows: { startupSeconds: 0 } }, /invalid failureWindows.startupSeconds 0/],
  ['the progress deadline is fractional', { failureWindows: { progressDeadlineSeconds: 1.5 } }, /invalid failureWindows.progressDeadlineSeconds 1.5/],
  ['the drain delay is negative', { drain: { delaySeconds: -1 } }, /invalid drain.delaySeconds -1/],
  ['a blocked range is not a CIDR', { network: { blockedCidrs: ['10.0.0.0'] } }, /invalid network.blockedCidrs "10.0.0.0"/],
  ['the database port is out of range', { network: { database: { namespace: 'db', port: 70000 } } }, /invalid network.database.port 70000/],
] as const) {
  test(`fails when ${what}, naming the prop`, (t) => {
    t.throws(() => synthUserApp(sampleProps(overrides as Partial<UserAppChartProps>)), { message: message });
  });
}
