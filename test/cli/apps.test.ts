/**
 * fp's app commands against a real platform (local runtime): versions and rollback (followed live),
 * clone into a new linked folder (and --as, a copy on the platform first), env set/unset whose values
 * are never printed, and delete, which asks or needs --yes.
 */
import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appRequest, signUp, startApi } from '../helpers/api.js';
import { fpSignedIn } from '../helpers/cli.js';

const appIdOf = async (dir: string) => (parse(await readFile(join(dir, '.fp.yaml'), 'utf8')) as { app_id: string }).app_id;
const edition = (word: string) => `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"edition": "${word}"}\n`;

test('versions lists what was deployed; rollback deploys an earlier version\'s files as a new version, followed live', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const fp = await fpSignedIn(t, api, ada);
  const dir = join(fp.home, 'editions');
  t.is((await fp(['init', dir])).code, 0);
  await writeFile(join(dir, 'app.py'), edition('first'));
  t.is((await fp(['deploy'], { cwd: dir })).code, 0);
  await writeFile(join(dir, 'app.py'), edition('second'));
  t.is((await fp(['deploy'], { cwd: dir })).code, 0);
  const appId = await appIdOf(dir);
  t.regex((await appRequest(api, appId, '/')).body, /second/);
  const versions = await fp(['versions'], { cwd: dir });
  t.regex(versions.stdout, /v2 .* live/);
  const rolled = await fp(['rollback', '1'], { cwd: dir });
  t.is(rolled.code, 0, rolled.stderr);
  t.regex(rolled.stderr, /Version 3 is live/);
  t.regex(rolled.stdout, /version 3 runs the files of version 1/);
  t.regex((await appRequest(api, appId, '/')).body, /first/);
  t.is((await fp(['rollback', '9'], { cwd: dir })).code, 4, 'no such version');
});

test('clone fetches an app into a new folder, linked; --as copies it on the platform first; env values are never printed; delete asks', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const fp = await fpSignedIn(t, api, ada);
  const dir = join(fp.home, 'original');
  t.is((await fp(['init', dir, '--name', 'Original App'])).code, 0);
  t.is((await fp(['push'], { cwd: dir })).code, 0);
  const appId = await appIdOf(dir);

  const cloned = await fp(['clone', 'original app']);
  t.is(cloned.code, 0, cloned.stderr);
  t.is(await appIdOf(join(fp.home, 'original-app')), appId, 'linked to the same app');
  t.is(await readFile(join(fp.home, 'original-app', 'app.py'), 'utf8'), await readFile(join(dir, 'app.py'), 'utf8'));
  t.is((await fp(['clone', 'Original App'])).code, 5, 'the folder exists now');

  const copied = await fp(['clone', appId, join(fp.home, 'copy'), '--as', 'The Copy']);
  t.is(copied.code, 0, copied.stderr);
  const copyId = await appIdOf(join(fp.home, 'copy'));
  t.not(copyId, appId);
  t.is((await ada.client.get(`/api/apps/${copyId}`)).body.name, 'The Copy');

  const set = await fp(['env', 'set', 'API_KEY=very-secret-value', 'MODE=blue'], { cwd: dir });
  t.is(set.code, 0, set.stderr);
  t.false(`${set.stdout}${set.stderr}`.includes('very-secret-value'));
  t.false((await fp(['env', 'list'], { cwd: dir })).stdout.includes('very-secret-value'));
  t.is((await fp(['env', 'set', 'SECRET'], { cwd: dir })).code, 2, 'no terminal to ask for a value');
  t.is((await fp(['env', 'unset', 'MODE'], { cwd: dir })).code, 0);
  t.deepEqual((await ada.client.get(`/api/apps/${appId}/env`)).body.env.map((v: { name: string }) => v.name), ['API_KEY']);
  t.is((await fp(['env', 'unset', 'NOPE'], { cwd: dir })).code, 4);

  const refused = await fp(['delete', 'The Copy']);
  t.is(refused.code, 2, 'without a terminal, delete needs --yes');
  t.is((await ada.client.get(`/api/apps/${copyId}`)).status, 200);
  t.is((await fp(['delete', 'The Copy', '--yes'])).code, 0);
  t.is((await ada.client.get(`/api/apps/${copyId}`)).status, 404);
});
