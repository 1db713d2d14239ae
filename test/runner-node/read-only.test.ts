/**
 * Nothing is written outside /tmp by the Node runner either: the code directory, the directory it starts
 * in and the runner with its packages are unchanged after a TypeScript app compiles, serves and stops;
 * the app's relative writes land in its scratch directory.
 */
import test from 'ava';
import { readdir, realpath } from 'node:fs/promises';
import { repoRoot } from '../bed/paths.js';
import { startRunner } from '../helpers/runner.js';
import { changes, snapshotTree } from '../helpers/snapshot.js';

test('a TypeScript app writes nothing to its code directory, start directory, the runner or its packages', async (t) => {
  const runnerDir = `${repoRoot}runner-node/dist`;
  const packagesDir = await realpath(`${repoRoot}runner-node/node_modules`);
  const runnerBefore = await snapshotTree(runnerDir);
  const packagesBefore = await snapshotTree(packagesDir);
  const runner = await startRunner(t, {
    language: 'typescript',
    files: {
      'app.ts': `import { Hono } from 'hono';
import { writeFile } from 'node:fs/promises';
import { answer } from './lib/answer.js';
const app = new Hono();
app.get('/', async (c) => {
  await writeFile('notes.txt', 'relative writes go to the scratch directory');
  return c.json({ answer: answer() });
});
export default app;
`,
      'lib/answer.ts': 'export const answer = (): number => 42;\n',
      'static/site.css': 'body {}\n',
    },
  });
  const before = { code: await snapshotTree(runner.codeDir), start: await snapshotTree(runner.startDir) };
  t.deepEqual(await (await fetch(`${runner.url}/`)).json(), { answer: 42 });
  t.is((await fetch(`${runner.url}/static/site.css`)).status, 200);
  t.deepEqual(await runner.stop(), { code: 0, signal: null });

  t.deepEqual(changes(before.code, await snapshotTree(runner.codeDir)), []);
  t.deepEqual(changes(before.start, await snapshotTree(runner.startDir)), []);
  t.deepEqual(changes(runnerBefore, await snapshotTree(runnerDir)), []);
  t.deepEqual(changes(packagesBefore, await snapshotTree(packagesDir)), []);
  t.true((await readdir(runner.scratchDir, { recursive: true })).some((p) => p.endsWith('notes.txt')));
});
