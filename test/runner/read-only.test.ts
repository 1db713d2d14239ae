/**
 * Nothing is written outside /tmp: the code directory, the directory the runner starts in and the
 * venv are unchanged after FastAPI and FastHTML apps start, serve and stop; the runner's writes
 * (FastHTML's .sesskey, relative files the app writes) land in its scratch directory.
 */
import test from 'ava';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { venvPython } from '../helpers/bed.js';
import { startRunner } from '../helpers/runner.js';
import { changes, snapshotTree } from '../helpers/snapshot.js';

const venvRoot = () => dirname(dirname(venvPython()));

const projects: Record<string, Record<string, string>> = {
  fastapi: {
    'app.py': `from fastapi import FastAPI
import helpers
app = FastAPI()

@app.get("/")
def index():
    with open("notes.txt", "w") as f:
        f.write("relative writes go to the scratch directory")
    return {"ok": helpers.VALUE}
`,
    'helpers.py': 'VALUE = 1\n',
    'static/site.css': 'body {}\n',
  },
  fasthtml: {
    'app.py': `from fasthtml.common import *
from parts import greeting
app, rt = fast_app()

@rt("/")
def get(session):
    session["visits"] = session.get("visits", 0) + 1
    return Titled("Visits", P(greeting(session["visits"])))
`,
    'parts.py': 'def greeting(n):\n    return f"visit number {n}"\n',
  },
};

for (const [framework, files] of Object.entries(projects)) {
  test(`a ${framework} app writes nothing to its code directory, start directory or venv`, async (t) => {
    const venvBefore = await snapshotTree(venvRoot());
    const runner = await startRunner(t, { files });
    const before = { code: await snapshotTree(runner.codeDir), start: await snapshotTree(runner.startDir) };

    const first = await fetch(`${runner.url}/`);
    t.is(first.status, 200);
    const cookie = first.headers.get('set-cookie');
    const second = await fetch(`${runner.url}/`, { headers: cookie ? { cookie: cookie.split(';')[0] ?? '' } : {} });
    t.is(second.status, 200);
    if (framework === 'fasthtml') t.regex(await second.text(), /visit number 2/);
    if (framework === 'fastapi') t.is((await fetch(`${runner.url}/static/site.css`)).status, 200);
    t.deepEqual(await runner.stop(), { code: 0, signal: null });

    t.deepEqual(changes(before.code, await snapshotTree(runner.codeDir)), []);
    t.deepEqual(changes(before.start, await snapshotTree(runner.startDir)), []);
    t.deepEqual(changes(venvBefore, await snapshotTree(venvRoot())), []);
    // What was written went to the scratch directory (/tmp in the pod).
    const scratch = await readdir(runner.scratchDir, { recursive: true });
    if (framework === 'fasthtml') t.true(scratch.some((p) => p.endsWith('.sesskey')));
    if (framework === 'fastapi') t.true(scratch.some((p) => p.endsWith('notes.txt')));
  });
}
