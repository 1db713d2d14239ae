/**
 * The Node runner's image agrees with what the constructs and the local runtime assume: the same
 * numeric UID as the Python runner, the port, Node's major version (the validator's verdicts come from
 * the same V8), the pinned packages installed without their install scripts, and the same command.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { runnerPort, runnerUid } from '../../constructs/index.js';
import { repoRoot } from '../bed/paths.js';
import { parseDockerfile } from '../helpers/dockerfile.js';
import { runnerCommand } from '../helpers/runner.js';

const dockerfile = parseDockerfile(await readFile(`${repoRoot}runner-node/Dockerfile`, 'utf8'));
const manifest = JSON.parse(await readFile(`${repoRoot}runner-node/package.json`, 'utf8')) as { dependencies: Record<string, string>; scripts: { build: string } };

test("the image's numeric USER is the UID the constructs run pods as, and it serves the runner's port", (t) => {
  const final = dockerfile.final.instructions;
  t.deepEqual(final.filter((i) => i.keyword === 'USER').map((i) => i.args), [`${runnerUid}:${runnerUid}`]);
  t.true(final.some((i) => i.keyword === 'EXPOSE' && i.args === String(runnerPort)));
});

test("both stages are a pinned node slim image of this machine's Node major version", (t) => {
  const major = process.versions.node.split('.')[0];
  for (const stage of dockerfile.stages) t.regex(stage.from, new RegExp(`^node:${major}\\.\\d+\\.\\d+-\\w+-slim$`));
});

test('the packages are the pinned allow-list, installed from the lock file without install scripts, and built by the same script', (t) => {
  for (const [name, version] of Object.entries(manifest.dependencies)) t.regex(version, /^\d+\.\d+\.\d+$/, name);
  const build = dockerfile.stage('build').instructions;
  t.true(build.some((i) => i.keyword === 'RUN' && i.args === 'npm ci --omit=dev --ignore-scripts --no-audit --no-fund'));
  t.true(build.some((i) => i.keyword === 'RUN' && i.args === 'npm run build'));
});

test('the image runs the command the local runtime and the tests run', (t) => {
  const entry = dockerfile.final.instructions.find((i) => i.keyword === 'ENTRYPOINT');
  const [, args] = runnerCommand('typescript');
  t.deepEqual(JSON.parse(entry?.args ?? '[]'), ['node', ...args.map((a) => a.replace(`${repoRoot}runner-node/`, '/opt/runner-node/'))]);
});

test("the validator compiles with the runner's esbuild version, so its verdicts are the runner's", async (t) => {
  const root = JSON.parse(await readFile(`${repoRoot}package-lock.json`, 'utf8')) as { packages: Record<string, { version: string }> };
  const platform = JSON.parse(await readFile(`${repoRoot}package.json`, 'utf8')) as { dependencies: Record<string, string> };
  t.is(platform.dependencies.esbuild, manifest.dependencies.esbuild);
  t.is(root.packages['node_modules/esbuild']?.version, manifest.dependencies.esbuild);
});
