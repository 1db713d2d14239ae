/**
 * A TypeScript app is the same six objects as a Python app, run by the Node runner's image: the
 * language comes from the entrypoint (or is given), picks which entry files are accepted and what the
 * container's environment holds; UID, port, probes and the read-only code mount are the same.
 */
import test from 'ava';
import {
  languageOfEntrypoint, runnerHealthPath, runnerPort, runnerUid, synthUserApp, type ManifestObject,
} from '../../constructs/index.js';
import { sampleApp } from '../helpers/sample-app.js';

const tsFiles = { 'app.ts': "import { Hono } from 'hono';\nexport default new Hono();\n", 'static/site.css': 'body {}\n' };

function deployment(objects: ManifestObject[]): Record<string, any> {
  const found = objects.find((o) => o.kind === 'Deployment');
  if (!found) throw new Error('no Deployment');
  return found;
}

test('the entrypoint names the language: .py is python; .ts, .tsx, .mts, .js and .mjs are typescript', (t) => {
  t.is(languageOfEntrypoint('app.py'), 'python');
  for (const entry of ['app.ts', 'src/main.TS', 'page.tsx', 'x.mts', 'server.js', 'server.mjs']) t.is(languageOfEntrypoint(entry), 'typescript', entry);
  t.is(languageOfEntrypoint('README.md'), undefined);
});

test("a TypeScript app runs the given Node runner image as the same UID, port and probes, without Python's settings", (t) => {
  const objects = synthUserApp(sampleApp({ files: tsFiles, entrypoint: 'app.ts', image: 'registry.example/runner-node:1.0.0', databaseUri: undefined as never }))
    .objects;
  t.deepEqual(objects.map((o) => o.kind), ['ConfigMap', 'Secret', 'Deployment', 'Service', 'IngressRoute', 'NetworkPolicy']);
  const container = deployment(objects).spec.template.spec.containers[0];
  t.is(container.image, 'registry.example/runner-node:1.0.0');
  t.is(container.securityContext.runAsUser, runnerUid);
  t.deepEqual(container.ports, [{ containerPort: runnerPort, name: 'http' }]);
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) t.is(container[probe].httpGet.path, runnerHealthPath);
  const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  t.like(env, { ENTRYPOINT: 'app.ts', CODE_DIR: '/code', PORT: String(runnerPort), HOME: '/tmp' });
  t.false('PYTHONDONTWRITEBYTECODE' in env);
  const python = deployment(synthUserApp(sampleApp()).objects).spec.template.spec.containers[0];
  t.true(python.env.some((e: { name: string }) => e.name === 'PYTHONDONTWRITEBYTECODE'));
});

test('a TypeScript app without an entrypoint defaults to app.ts', (t) => {
  const objects = synthUserApp(sampleApp({ files: tsFiles, language: 'typescript', image: 'runner-node:1' })).objects;
  t.true(deployment(objects).spec.template.spec.containers[0].env.some((e: { name: string; value: string }) => e.name === 'ENTRYPOINT' && e.value === 'app.ts'));
});

test("fails when the entrypoint is not of the app's language, naming the extensions the runner accepts", (t) => {
  t.throws(() => synthUserApp(sampleApp({ files: { ...tsFiles, 'app.py': 'app = 1\n' }, entrypoint: 'app.py', language: 'typescript' })),
    { message: /invalid entrypoint "app\.py".*\.ts, \.tsx, \.mts, \.js, \.mjs, \.jsx file that is in files \(the typescript runner imports it\)/ });
  t.throws(() => synthUserApp(sampleApp({ entrypoint: 'app.ts', files: tsFiles, language: 'python' })), { message: /\.py file that is in files/ });
});

test('fails when a TypeScript app sets a variable Node obeys (NODE_OPTIONS could open an inspector port)', (t) => {
  for (const name of ['NODE_OPTIONS', 'NODE_PATH', 'ESBUILD_BINARY_PATH']) {
    t.throws(() => synthUserApp(sampleApp({ files: tsFiles, entrypoint: 'app.ts', env: { [name]: 'x' } })), { message: new RegExp(name) }, name);
  }
});
