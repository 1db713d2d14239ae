/** The runner image's Dockerfile agrees with what the constructs and the contract assume. */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { codeMountPath, runnerPort, runnerUid } from '../../constructs/index.js';
import { repoRoot } from '../bed/paths.js';

const dockerfile = await readFile(`${repoRoot}runner/Dockerfile`, 'utf8');
const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l));

test("the image's numeric USER is the UID the constructs run pods as", (t) => {
  const user = instructions.find((l) => l.startsWith('USER '));
  t.is(user, `USER ${runnerUid}:${runnerUid}`);
});

test('the base image is a pinned CPython 3.11 slim, and the pinned requirements are installed', (t) => {
  t.regex(instructions[0] ?? '', /^FROM python:3\.11\.\d+-slim-\w+$/);
  t.true(dockerfile.includes('pip install --no-cache-dir -r /opt/runner/requirements.txt'));
});

test('the image serves the port and mount path the constructs expect', async (t) => {
  t.true(instructions.includes(`EXPOSE ${runnerPort}`));
  const contract = await readFile(`${repoRoot}runner/CONTRACT.md`, 'utf8');
  t.true(contract.includes(`| \`CODE_DIR\` | \`${codeMountPath}\``));
  t.true(contract.includes(`| \`PORT\` | \`${runnerPort}\``));
});
