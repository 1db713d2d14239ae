/**
 * The platform chart runs the images built here the way they need (both roll, a new pod ready before
 * an old one stops; the default image tags), and cluster/k3d.sh, which builds, imports and deploys them on k3d,
 * parses and builds exactly the images the chart names. k3d.sh itself needs Docker and is not run.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { App, Testing } from 'cdk8s';
import { PlatformService } from '../../constructs/index.js';
import { parsePlatformConfig } from '../../cluster/config.js';
import { PlatformChart } from '../../cluster/platform-chart.js';
import { repoRoot } from '../bed/paths.js';

const run = promisify(execFile);
const defaults = parsePlatformConfig({});
const objects = new PlatformChart(new App(), 'platform', defaults).toJson() as any[];
const deployment = (name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);

test('the API runs two replicas and both the API and the UI roll, never going below their replicas', (t) => {
  const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  t.deepEqual(deployment('api').spec.strategy, rolling);
  t.is(deployment('api').spec.replicas, 2);
  t.deepEqual(deployment('ui').spec.strategy, rolling);
});

test('the chart runs the default images built from api/, ui/, runner/ and runner-node/, and FerretDB\'s own for tenants\' databases', (t) => {
  t.deepEqual(defaults.images, {
    api: 'fastapi-platform/api:0.1.0', ui: 'fastapi-platform/ui:0.1.0', runner: 'fastapi-platform/runner:0.1.0', runnerNode: 'fastapi-platform/runner-node:0.1.0',
    ferretdb: 'ghcr.io/ferretdb/ferretdb:1.24.2',
  });
  t.is(deployment('api').spec.template.spec.containers[0].image, defaults.images.api);
  t.is(deployment('ui').spec.template.spec.containers[0].image, defaults.images.ui);
  const env = deployment('api').spec.template.spec.containers[0].env;
  t.deepEqual(env.find((e: any) => e.name === 'RUNNER_IMAGE'), { name: 'RUNNER_IMAGE', value: defaults.images.runner });
  t.deepEqual(env.find((e: any) => e.name === 'NODE_RUNNER_IMAGE'), { name: 'NODE_RUNNER_IMAGE', value: defaults.images.runnerNode });
  t.deepEqual(env.find((e: any) => e.name === 'PUBLIC_URL'), { name: 'PUBLIC_URL', value: `http://${defaults.baseDomain}` });
});

test('with TLS the API is told its public URL is https', (t) => {
  const chart = new PlatformChart(new App(), 'platform', parsePlatformConfig({ tls: { certResolver: 'le' } }));
  const api = (chart.toJson() as any[]).find((o) => o.kind === 'Deployment' && o.metadata.name === 'api');
  t.true(api.spec.template.spec.containers[0].env.some((e: any) => e.name === 'PUBLIC_URL' && e.value === `https://${defaults.baseDomain}`));
});

test('a PlatformService rolls by default and is recreated when asked', (t) => {
  const chart = Testing.chart();
  const props = { image: 'x:1', port: 8080, healthPath: '/', resources: { cpuMillis: { request: 1, limit: 2 }, memoryMebibytes: { request: 1, limit: 2 } } };
  new PlatformService(chart, 'Rolling', { ...props, name: 'rolling' });
  new PlatformService(chart, 'Recreated', { ...props, name: 'recreated', strategy: 'recreate' });
  const strategies = Object.fromEntries(Testing.synth(chart).filter((o: any) => o.kind === 'Deployment').map((o: any) => [o.metadata.name, o.spec.strategy.type]));
  t.deepEqual(strategies, { rolling: 'RollingUpdate', recreated: 'Recreate' });
});

test('fails when a PlatformService strategy is neither rolling nor recreate, naming the prop', (t) => {
  const error = t.throws(() => new PlatformService(Testing.chart(), 'Bad', {
    name: 'bad', image: 'x:1', port: 8080, healthPath: '/', strategy: 'blue-green' as never,
    resources: { cpuMillis: { request: 1, limit: 2 }, memoryMebibytes: { request: 1, limit: 2 } },
  }));
  t.regex(error?.message ?? '', /PlatformService: invalid strategy "blue-green": use 'rolling' or 'recreate'/);
});

test('cluster/k3d.sh parses, stops on errors, and builds and imports exactly the images the chart names', async (t) => {
  const path = `${repoRoot}cluster/k3d.sh`;
  const syntax = await run('bash', ['-n', path]);
  t.is(syntax.stderr, '');
  const script = await readFile(path, 'utf8');
  t.true(script.includes('set -euo pipefail'));
  t.true(script.includes('NOT exercised in CI'));
  const value = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(script)?.[1];
  t.is(value('runner_image'), defaults.images.runner);
  t.is(value('runner_node_image'), defaults.images.runnerNode);
  t.is(value('api_image'), defaults.images.api);
  t.is(value('ui_image'), defaults.images.ui);
  t.is(value('namespace'), defaults.namespace);
  t.is(value('base_domain'), defaults.baseDomain);
  t.is(value('app_domain'), defaults.appDomain);
  t.is(value('mongo_image'), 'mongo:8.0.17');
  t.true(script.includes("--port '80:80@loadbalancer'"));
  for (const build of ['docker build --tag "$runner_image" runner/', 'docker build --tag "$runner_node_image" runner-node/', 'docker build --file api/Dockerfile --tag "$api_image" .', 'docker build --file ui/Dockerfile --tag "$ui_image" .']) {
    t.true(script.includes(build), build);
  }
  for (const dockerfile of ['runner/Dockerfile', 'runner-node/Dockerfile', 'api/Dockerfile', 'ui/Dockerfile']) t.true(existsSync(`${repoRoot}${dockerfile}`), dockerfile);
  t.true(script.includes('k3d image import --cluster "$cluster" "$runner_image" "$runner_node_image" "$api_image" "$ui_image"'));
  // The MongoDB it installs is where the chart's NetworkPolicies let the API reach a database.
  t.is(defaults.database.namespace, 'mongodb');
  t.true(script.includes(`mongodb://mongodb.mongodb.svc.cluster.local:${defaults.database.port}/`));
  t.true(script.includes(`--from-literal=SECRET_KEY=`) && script.includes(`get secret ${defaults.secretName}`));
});
