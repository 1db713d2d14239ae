/**
 * The API and UI images agree with the platform chart that runs them (no Docker here, so these are
 * static checks; test/images/api-build.test.ts runs what the API image runs): exact base versions,
 * the chart's numeric UID and port, a read-only root with only /tmp written, the validator's CPython
 * named the same way in image and chart, the compiled entry point, and a build context that holds
 * everything the Dockerfiles copy and nothing local.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { App } from 'cdk8s';
import { parsePlatformConfig } from '../../cluster/config.js';
import { PlatformChart, apiPython } from '../../cluster/platform-chart.js';
import { repoRoot } from '../bed/paths.js';
import { all, copiesOf, envOf, parseDockerfile, type Dockerfile } from '../helpers/dockerfile.js';

const api = parseDockerfile(await readFile(`${repoRoot}api/Dockerfile`, 'utf8'));
const ui = parseDockerfile(await readFile(`${repoRoot}ui/Dockerfile`, 'utf8'));
const runner = parseDockerfile(await readFile(`${repoRoot}runner/Dockerfile`, 'utf8'));
const nginxConf = await readFile(`${repoRoot}ui/nginx.conf`, 'utf8');
const dockerignore = (await readFile(`${repoRoot}.dockerignore`, 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

const objects = new PlatformChart(new App(), 'platform', parsePlatformConfig({})).toJson() as any[];
function container(name: string): any {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  return { pod: deployment.spec.template.spec, ...deployment.spec.template.spec.containers[0] };
}
const chartApi = container('api');
const chartUi = container('ui');

function bases(dockerfile: Dockerfile): string[] {
  const names = new Set(dockerfile.stages.map((s) => s.name));
  return dockerfile.stages.map((s) => s.from).filter((from) => !names.has(from));
}

for (const [name, dockerfile] of [['API', api], ['UI', ui]] as const) {
  test(`every base image of the ${name} Dockerfile is pinned to an exact version`, (t) => {
    const external = bases(dockerfile);
    t.true(external.length > 0);
    for (const image of external) t.regex(image, /^[\w./-]+:\d+\.\d+\.\d+(-[\w.-]+)?(@sha256:[0-9a-f]{64})?$/, image);
  });
}

test("the API image runs as the chart's numeric UID and exposes the chart's port", (t) => {
  const uid = chartApi.securityContext.runAsUser;
  t.is(uid, 10001);
  t.deepEqual(all(api.final, 'USER'), [`${uid}:${chartApi.securityContext.runAsGroup}`]);
  t.deepEqual(all(api.final, 'EXPOSE'), [String(chartApi.ports[0].containerPort)]);
  t.is(envOf(api.final).PORT, String(chartApi.ports[0].containerPort));
});

test("the API image's CPython 3.11 is the runner's exact base, and image and chart name it in FP_PYTHON", (t) => {
  t.is(api.final.from, runner.stages[0]?.from);
  t.regex(api.final.from, /^python:3\.11\.\d+-slim-bookworm$/);
  t.is(envOf(api.final).FP_PYTHON, apiPython);
  t.regex(apiPython, /\/python3\.11$/);
  t.deepEqual(chartApi.env.find((e: any) => e.name === 'FP_PYTHON'), { name: 'FP_PYTHON', value: apiPython });
  // The base strips the standard library's bytecode and the root is read-only at run time.
  t.true(all(api.final, 'RUN').some((r) => r.includes('python -m compileall -q /usr/local/lib/python3.11')));
  // Node comes from the pinned node stage, the same Debian release.
  const node = api.stages.find((s) => s.from.startsWith('node:'));
  t.regex(node?.from ?? '', /^node:20\.\d+\.\d+-bookworm-slim$/);
  t.true(copiesOf(api.final).some((c) => c.from === node?.name && c.sources[0] === '/usr/local/bin/node'));
});

test('the API image runs the compiled entry scripts/build.sh writes, with production dependencies only', (t) => {
  const cmd = JSON.parse(all(api.final, 'CMD')[0] ?? '[]') as string[];
  t.is(cmd[0], 'node');
  const entry = cmd[1] ?? '';
  const copy = copiesOf(api.final).find((c) => c.from && entry.startsWith(`${c.dest}/`));
  t.truthy(copy, `no COPY --from=<stage> puts ${entry} in place`);
  t.is(entry.slice((copy?.dest.length ?? 0) + 1), 'api/main.js');
  const build = api.stage(copy?.from ?? '');
  t.true(all(build, 'RUN').some((r) => r.includes(`bash scripts/build.sh ${copy?.sources[0]}`)));
  t.true(all(build, 'RUN').some((r) => r.includes('npx tsc -b api')), 'the build stage type-checks what ships');

  const modules = copiesOf(api.final).find((c) => c.dest.endsWith('/node_modules'));
  t.is(modules?.dest, `${copy?.dest.replace(/\/[^/]+$/, '')}/node_modules`, 'node_modules sits above the build output');
  t.true(all(api.stage(modules?.from ?? ''), 'RUN').some((r) => /npm ci --omit=dev\b/.test(r)));
  t.false(api.final.instructions.some((i) => i.args.includes('tsx')), 'nothing in the runtime stage needs tsx');
});

test('the API image writes nothing outside /tmp at run time', (t) => {
  const env = envOf(api.final);
  t.is(env.NODE_ENV, 'production');
  t.regex(env.DATA_DIR ?? '', /^\/tmp\//);
  t.regex(env.HOME ?? '', /^\/tmp\b/);
  t.true(chartApi.securityContext.readOnlyRootFilesystem);
  const tmp = chartApi.volumeMounts.find((m: any) => m.mountPath === '/tmp');
  t.truthy(chartApi.pod.volumes.find((v: any) => v.name === tmp?.name)?.emptyDir);
});

test("the UI image is an unprivileged nginx on the chart's port, as the chart's UID", (t) => {
  t.regex(ui.final.from, /^nginxinc\/nginx-unprivileged:\d+\.\d+\.\d+-alpine$/);
  t.deepEqual(all(ui.final, 'USER'), [`${chartUi.securityContext.runAsUser}:${chartUi.securityContext.runAsGroup}`]);
  t.deepEqual(all(ui.final, 'EXPOSE'), [String(chartUi.ports[0].containerPort)]);
  t.regex(nginxConf, new RegExp(`^\\s*listen ${chartUi.ports[0].containerPort};`, 'm'));
  t.is(chartUi.startupProbe.httpGet.path, '/');
  // Our whole nginx.conf, started directly: the stock entrypoint's scripts edit files under /etc.
  t.true(copiesOf(ui.final).some((c) => c.sources[0] === 'ui/nginx.conf' && c.dest === '/etc/nginx/nginx.conf'));
  t.deepEqual(JSON.parse(all(ui.final, 'ENTRYPOINT')[0] ?? '[]'), ['nginx', '-g', 'daemon off;']);
});

test('the UI image serves ui/dist with SPA fallback and caches only hashed assets for long', (t) => {
  const root = /^\s*root (\S+);/m.exec(nginxConf)?.[1];
  const dist = copiesOf(ui.final).find((c) => c.from === 'build');
  t.deepEqual(dist && { source: dist.sources[0], dest: dist.dest }, { source: '/src/ui/dist', dest: root });
  t.regex(nginxConf, /location \/ \{[^}]*try_files \$uri \/index\.html;/);
  t.regex(nginxConf, /location \^~ \/assets\/ \{[^}]*max-age=31536000, immutable"[^}]*try_files \$uri =404;/);
  // Without ui/ sources the build stage writes a placeholder page, so the image builds before the UI exists.
  t.true(all(ui.stage('build'), 'RUN').some((r) => r.includes('if [ -f ui/index.html ]') && r.includes('> ui/dist/index.html')));
});

test('nginx keeps its pid and every temp file under /tmp, for a read-only root', (t) => {
  t.regex(nginxConf, /^pid \/tmp\/[\w.]+;/m);
  for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    t.regex(nginxConf, new RegExp(`^\\s*${kind}_temp_path /tmp/\\w+;`, 'm'), kind);
  }
  t.true(chartUi.securityContext.readOnlyRootFilesystem);
  t.truthy(chartUi.volumeMounts.find((m: any) => m.mountPath === '/tmp'));
});

test('.dockerignore keeps local state out of the build context and nothing the Dockerfiles copy', (t) => {
  for (const entry of ['.git', '**/node_modules', '.data', '.setup', '.tsbuild', 'build', 'dist', 'ui/dist', 'test-results']) {
    t.true(dockerignore.includes(entry), entry);
  }
  const sources = [api, ui].flatMap((d) => d.stages.flatMap((s) => copiesOf(s).filter((c) => !c.from).flatMap((c) => c.sources)));
  t.true(sources.includes('api') && sources.includes('ui/nginx.conf'));
  for (const source of sources) {
    const ignoredBy = dockerignore.find((entry) => source === entry || source.startsWith(`${entry}/`));
    t.is(ignoredBy, undefined, `${source} is excluded by ${ignoredBy}`);
  }
});
