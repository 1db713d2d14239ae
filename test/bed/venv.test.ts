/** The runner venv the bed hands to tests is CPython 3.11 with exactly runner/requirements.txt. */
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { venvPython } from '../helpers/bed.js';
import { repoRoot } from './paths.js';

const run = promisify(execFile);

test('the venv runs CPython 3.11 with every pinned requirement installed at its pinned version', async (t) => {
  const python = venvPython();
  const { stdout: version } = await run(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
  t.is(version.trim(), '3.11');
  const pins = (await readFile(`${repoRoot}runner/requirements.txt`, 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('=='));
  const { stdout } = await run(python, ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check']);
  const installed = new Map(
    (JSON.parse(stdout) as { name: string; version: string }[]).map((p) => [p.name.toLowerCase().replace(/_/g, '-'), p.version]),
  );
  for (const [name = '', version] of pins) {
    t.is(installed.get(name.toLowerCase().replace(/_/g, '-')), version, `${name} should be ${version}`);
  }
});

test('fastapi and fasthtml import in the venv', async (t) => {
  const { stdout } = await run(venvPython(), ['-c', 'import fastapi, fasthtml, uvicorn, pymongo; print("ok")']);
  t.is(stdout.trim(), 'ok');
});
