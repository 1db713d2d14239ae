/**
 * fp db against a real platform (local runtime, the tenant's own FerretDB): the app's database and its
 * collections, a query with a filter as Extended JSON lines, a refused filter as the API's sentence,
 * binding the app to none and back, and the --json shapes.
 */
import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cliOutput } from '../../contract/schemas/index.js';
import { appRequest, signUp, startApi } from '../helpers/api.js';
import { fpSignedIn } from '../helpers/cli.js';

const notes = `import os

import pymongo
from fastapi import FastAPI

app = FastAPI()
db = pymongo.MongoClient(os.environ["PLATFORM_MONGO_URI"]).get_default_database()


@app.post("/notes/{text}")
def add(text: str):
    db.notes.insert_one({"text": text, "done": text.startswith("done")})
    return {"count": db.notes.count_documents({})}
`;

test('fp db shows the app\'s database and collections, queries with a filter, refuses code, and binds', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const fp = await fpSignedIn(t, api, ada);
  const dir = join(fp.home, 'notes');
  t.is((await fp(['init', dir])).code, 0);
  await writeFile(join(dir, 'app.py'), notes);
  const deployed = await fp(['deploy'], { cwd: dir });
  t.is(deployed.code, 0, deployed.stderr);
  const appId = (parse(await readFile(join(dir, '.fp.yaml'), 'utf8')) as { app_id: string }).app_id;
  for (const text of ['buy milk', 'done: call mum', 'write tests']) t.is((await appRequest(api, appId, `/notes/${encodeURIComponent(text)}`, { method: 'POST' })).status, 200);

  const info = await fp(['db'], { cwd: dir });
  t.is(info.code, 0, info.stderr);
  t.regex(info.stdout, /gets your default database, when its code reads PLATFORM_MONGO_URI/);
  t.regex(info.stdout, /notes\s+3/);
  const infoJson = cliOutput.dbInfo.parse(JSON.parse((await fp(['db', '--json'], { cwd: dir })).stdout));
  t.is(infoJson.collections[0]?.count, 3);

  const query = await fp(['db', 'query', 'notes', '--filter', '{"done": false}'], { cwd: dir });
  t.is(query.code, 0, query.stderr);
  const lines = query.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; _id: { $oid: string } });
  t.deepEqual(lines.map((l) => l.text).sort(), ['buy milk', 'write tests']);
  t.regex(lines[0]?._id.$oid ?? '', /^[0-9a-f]{24}$/);
  cliOutput.dbQuery.parse(JSON.parse((await fp(['db', 'query', 'notes', '--json', '--limit', '1'], { cwd: dir })).stdout));
  cliOutput.dbList.parse(JSON.parse((await fp(['db', 'list', '--json'])).stdout));
  cliOutput.dbCollections.parse(JSON.parse((await fp(['db', 'collections', 'default', '--json'])).stdout));

  const refused = await fp(['db', 'query', 'notes', '--filter', '{"$where": "true"}'], { cwd: dir });
  t.is(refused.code, 2);
  t.regex(refused.stderr, /runs code on the database server/);
  t.false(refused.stderr.includes('    at '), 'a sentence, not a stack trace');
  t.is((await fp(['db', 'collections', 'nosuchdb'])).code, 4);

  const unbound = await fp(['db', 'bind', 'none'], { cwd: dir });
  t.is(unbound.code, 0, unbound.stderr);
  t.regex(unbound.stdout, /now gets no database; it is being redeployed/);
  t.deepEqual((await ada.client.get(`/api/apps/${appId}`)).body.database, { mode: 'none' });
  t.is((await fp(['db', 'bind', 'default'], { cwd: dir })).code, 0);
  t.like((await ada.client.get(`/api/apps/${appId}`)).body.database, { mode: 'bound' });
});
