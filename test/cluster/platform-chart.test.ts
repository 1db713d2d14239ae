/**
 * The platform's own chart: snapshotted, validated config, accepted by the real apiserver through the
 * bed's kubectl (server-side dry run of what `cdk8s synth` writes), and its pods admitted under the
 * restricted Pod Security Standard when applied for real.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdk8s';
import { PlatformChart } from '../../cluster/platform-chart.js';
import { parsePlatformConfig } from '../../cluster/config.js';
import { repoRoot } from '../bed/paths.js';
import { uniqueName } from '../helpers/bed.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';
import { kubectl } from '../helpers/kubectl.js';

const run = promisify(execFile);

function synth(config: unknown) {
  return new PlatformChart(new App(), 'platform', parsePlatformConfig(config)).toJson() as { kind: string; metadata: { name: string; namespace?: string } }[];
}

/** Runs cluster/main.ts exactly as `cdk8s synth` does (via cdk8s.yaml's app), into a temp dir. */
async function synthToDir(config: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fp-synth-'));
  const configFile = join(dir, 'platform.json');
  await writeFile(configFile, JSON.stringify(config));
  await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'cluster/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, CDK8S_OUTDIR: join(dir, 'dist'), PLATFORM_CONFIG: configFile },
  });
  return join(dir, 'dist');
}

test('synthesizes the platform manifests exactly as snapshotted', (t) => {
  t.snapshot(synth({}));
});

test('namespaces come first and every namespaced object lands in its namespace', (t) => {
  const objects = synth({ namespace: 'plat', appsNamespace: 'apps' });
  t.deepEqual(objects.slice(0, 2).map((o) => `${o.kind}/${o.metadata.name}`), ['Namespace/plat', 'Namespace/apps']);
  t.true(objects.slice(0, 2).every((o) => o.metadata.namespace === undefined));
  const inApps = objects.filter((o) => o.metadata.namespace === 'apps').map((o) => `${o.kind}/${o.metadata.name}`).sort();
  // Only the two identities' access: the API's and the gateway's.
  t.deepEqual(inApps, ['Role/platform-api', 'Role/platform-gateway', 'RoleBinding/platform-api', 'RoleBinding/platform-gateway']);
});

test('fails when the config has a bad domain or an unknown key, naming each path', (t) => {
  const error = t.throws(() => parsePlatformConfig({ baseDomain: 'Not A Domain', images: { api: 'a b' }, colour: 'blue' }));
  t.regex(error?.message ?? '', /baseDomain: a lower-case DNS name/);
  t.regex(error?.message ?? '', /images\.api: an image reference/);
  t.regex(error?.message ?? '', /Unrecognized key.*colour/);
});

test('fails when a resource request exceeds its limit', (t) => {
  const error = t.throws(() => parsePlatformConfig({ ui: { resources: { cpuMillis: { request: 500, limit: 100 }, memoryMebibytes: { request: 1, limit: 2 } } } }));
  t.regex(error?.message ?? '', /ui\.resources\.cpuMillis: the request must not exceed the limit/);
});

test("the bed's kubectl accepts the synthesized dist/ in a server-side dry run", async (t) => {
  const admin = KubeRest.admin();
  const config = { namespace: uniqueName('plat'), appsNamespace: uniqueName('apps') };
  // NamespaceLifecycle refuses objects in a namespace that does not exist, even in a dry run.
  await admin.namespace(t, config.namespace);
  await admin.namespace(t, config.appsNamespace);
  const dist = await synthToDir(config);
  const text = await readFile(join(dist, 'platform.k8s.yaml'), 'utf8');
  t.true(text.includes(`name: ${config.appsNamespace}`));
  const result = await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=fastapi-platform', '-f', dist]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /deployment\.apps\/api serverside-applied \(server dry run\)/);
  t.regex(result.stdout, /ingressroute\.traefik\.io\/platform serverside-applied \(server dry run\)/);
});

test('applied for real, the API and UI pods are admitted under restricted pod security', async (t) => {
  const admin = KubeRest.admin();
  const config = { namespace: uniqueName('plat'), appsNamespace: uniqueName('apps') };
  t.teardown(async () => {
    await admin.call('DELETE', `/api/v1/namespaces/${config.namespace}`);
    await admin.call('DELETE', `/api/v1/namespaces/${config.appsNamespace}`);
  });
  const dist = await synthToDir(config);
  const result = await kubectl(['apply', '--server-side', '--field-manager=fastapi-platform', '-f', dist]);
  t.is(result.code, 0, result.stderr);
  const ns = await admin.get(`/api/v1/namespaces/${config.appsNamespace}`);
  t.is(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  for (const name of ['api', 'ui']) {
    const pod = await eventually(`the ${name} pod`, async () =>
      (await admin.list(`/api/v1/namespaces/${config.namespace}/pods`, `app.kubernetes.io/name=${name}`))[0]);
    t.is(pod.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet');
  }
  const events = await admin.list(`/api/v1/namespaces/${config.namespace}/events`);
  t.false(events.some((e: any) => e.reason === 'FailedCreate'), JSON.stringify(events.filter((e: any) => e.reason === 'FailedCreate')));
});

test('the API, the gateway and the UI each have a PodDisruptionBudget selecting exactly their pods, one at a time', (t) => {
  const objects = synth({ api: { replicas: 3 } }) as any[];
  for (const name of ['api', 'gateway', 'ui']) {
    const budget = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === name);
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    t.is(budget?.apiVersion, 'policy/v1');
    t.is(budget.spec.maxUnavailable, 1);
    t.deepEqual(budget.spec.selector, deployment.spec.selector);
  }
  t.is(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api').spec.replicas, 3);
});

test('replicas spread over nodes when they can, and resources come from the config', (t) => {
  const objects = synth({ api: { resources: { cpuMillis: { request: 300, limit: 1500 }, memoryMebibytes: { request: 384, limit: 768 } } } }) as any[];
  const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api').spec.template.spec;
  t.deepEqual(api.containers[0].resources, { requests: { cpu: '300m', memory: '384Mi' }, limits: { cpu: '1500m', memory: '768Mi' } });
  t.like(api.topologySpreadConstraints[0], { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' });
});

test('fails when a replica count or a resource is not a positive whole number', (t) => {
  const error = t.throws(() => parsePlatformConfig({ api: { replicas: 0, resources: { cpuMillis: { request: 0.5, limit: 1 }, memoryMebibytes: { request: 1, limit: 2 } } } }));
  t.regex(error?.message ?? '', /api\.replicas: Too small/);
  t.regex(error?.message ?? '', /api\.resources\.cpuMillis\.request: Invalid input: expected int/);
});
