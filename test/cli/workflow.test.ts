/**
 * fp against a real platform (the API with the local runtime, started by the test), run as a child
 * process the way a person runs it: device-code login approved as the browser would, FP_TOKEN for CI,
 * init from a template → validate → deploy → the app answers, logs --follow, requests --json, draft
 * conflicts both ways, a syntax error that deploys nothing, and the exit codes.
 */
import test from 'ava';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cliOutput } from '../../contract/schemas/index.js';
import { freePort } from '../../scripts/lib/ports.js';
import { appRequest, browserSession, signUp, startApi } from '../helpers/api.js';
import { fpFor, fpSignedIn as signedIn } from '../helpers/cli.js';

const shout = [
  '',
  '',
  '@app.get("/shout")',
  'def shout(n: int = 0):',
  '    print(f"shout-marker-{n}", flush=True)',
  '    return {"n": n}',
  '',
].join('\n');

const appIdOf = async (dir: string) => (parse(await readFile(join(dir, '.fp.yaml'), 'utf8')) as { app_id: string }).app_id;

test('fp login by device code, approved as the browser would; fp whoami; FP_TOKEN works without a config file', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const fp = await fpFor(t);
  const login = fp.spawn(['login', api.url, '--no-browser']);
  t.teardown(() => { login.child.kill(); });
  const shown = await login.waitFor(/code ([B-Z]{4}-[B-Z]{4})/);
  const code = /code ([B-Z]{4}-[B-Z]{4})/.exec(shown)?.[1] ?? '';
  t.true(shown.includes(`https://platform.test/device?code=${code}`), shown);
  const browser = (await browserSession(api, ada)).client;
  t.is((await browser.post(`/api/auth/device/${code}/approve`)).status, 200);
  t.is(await login.exited, 0, JSON.stringify(login.output()));
  t.regex(login.output().stdout, new RegExp(`Signed in to ${api.url} as ${ada.username}`));
  t.is((await stat(join(fp.home, '.fp', 'config.toml'))).mode & 0o777, 0o600, 'the config file holds tokens: 0600');

  const who = await fp(['whoami', '--json']);
  t.is(who.code, 0, who.stderr);
  const me = cliOutput.whoami.parse(JSON.parse(who.stdout));
  t.is(me.user.username, ada.username);
  t.is(me.via, 'session');
  t.regex((await fp(['whoami'])).stdout, new RegExp(`${ada.username} \\(${ada.username}@example.com\\)`));

  const token = (await ada.client.post('/api/auth/tokens', { name: 'ci' })).body.token as string;
  const ci = await fpFor(t);
  const asCi = await ci(['whoami', '--json'], { env: { FP_URL: api.url, FP_TOKEN: token } });
  t.is(asCi.code, 0, asCi.stderr);
  t.like(cliOutput.whoami.parse(JSON.parse(asCi.stdout)), { via: 'api-token', platform: { name: null, url: api.url } });

  const logout = await fp(['logout']);
  t.is(logout.code, 0, logout.stderr);
  const sessions = (await ada.client.get('/api/auth/sessions')).body.sessions as { userAgent: string }[];
  t.false(sessions.some((s) => s.userAgent.includes('device sign-in')), 'fp logout ended its session on the platform');
  t.is((await fp(['whoami'])).code, 3, 'signed out: the auth exit code');
});

test('fails with the API\'s sentence and the documented exit code, never a stack trace', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const fp = await signedIn(t, api, ada);
  const wrongToken = await (await fpFor(t))(['list'], { env: { FP_URL: api.url, FP_TOKEN: 'fpt_not-a-token' } });
  t.is(wrongToken.code, 3);
  t.regex(wrongToken.stderr, /^error: .*token/im, 'the API\'s sentence');
  t.regex(wrongToken.stderr, /fp login/, 'and what to do');
  const missing = await fp(['status', 'no-such-app']);
  t.is(missing.code, 4);
  t.regex(missing.stderr, /You have no app named "no-such-app"/);
  t.is((await fp(['deploy'])).code, 2, 'no project here: a usage error');
  t.is((await fp(['logs', '--tail', 'lots'])).code, 2);
  t.is((await fp(['frobnicate'])).code, 2);
  const closed = await freePort();
  const unreachable = await (await fpFor(t))(['list'], { env: { FP_URL: `http://127.0.0.1:${closed}`, FP_TOKEN: 'fpt_x' } });
  t.is(unreachable.code, 1);
  t.true(unreachable.stderr.includes(`Could not reach http://127.0.0.1:${closed} (ECONNREFUSED).`), unreachable.stderr);
  for (const result of [wrongToken, missing, unreachable]) t.notRegex(result.stderr, /\n\s+at /, 'no stack trace');
  // Outside a project and without --app, fp db asks which app, as a usage error.
  const noApp = await fp(['db']);
  t.is(noApp.code, 2);
  t.regex(noApp.stderr, /Which app\? Name one, or run this inside a project/);
});

test('init from a template → validate → deploy → the app answers; logs --follow gets a line it printed; requests --json shows the request', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const fp = await signedIn(t, api, ada);
  const dir = join(fp.home, 'shouter');
  const init = await fp(['init', dir, '--template', 'hello-fastapi']);
  t.is(init.code, 0, init.stderr);
  t.regex(init.stdout, /from the template "Hello FastAPI"/);
  await appendFile(join(dir, 'app.py'), shout);
  const valid = await fp(['validate'], { cwd: dir });
  t.is(valid.code, 0, valid.stdout + valid.stderr);
  t.regex(valid.stderr, /shouter: valid \(cpython-workers\(1\), Python 3\.11\./);

  const deployed = await fp(['deploy'], { cwd: dir });
  t.is(deployed.code, 0, deployed.stderr);
  const appId = await appIdOf(dir);
  t.regex(appId, /^[a-z0-9]{10}$/);
  t.true(deployed.stdout.includes(`app-${appId}.apps.test`), deployed.stdout);
  t.regex(deployed.stderr, /Version 1 is live/);
  t.is((await appRequest(api, appId, '/shout?n=1')).status, 200);

  const follow = fp.spawn(['logs', '--follow', '--tail', '20'], { cwd: dir });
  t.teardown(() => { follow.child.kill(); });
  await follow.waitFor(/shout-marker-1/);
  t.is((await appRequest(api, appId, '/shout?n=2')).status, 200);
  await follow.waitFor(/shout-marker-2/);
  t.is(follow.output().stdout.match(/shout-marker-1/g)?.length, 1, 'no line twice');

  const recorded = await fp(['requests', '--json', '--path', '/shout'], { cwd: dir });
  t.is(recorded.code, 0, recorded.stderr);
  const { requests } = cliOutput.requests.parse(JSON.parse(recorded.stdout));
  t.true(requests.some((r) => r.method === 'GET' && r.path === '/shout' && r.status === 200), recorded.stdout);
  t.true(requests.every((r) => r.path.startsWith('/shout')));
  t.deepEqual(cliOutput.requests.parse(JSON.parse((await fp(['requests', '--json', '--status', '5xx'], { cwd: dir })).stdout)).requests, []);

  const again = await fp(['deploy'], { cwd: dir });
  t.is(again.code, 0, again.stderr);
  t.regex(again.stdout, /Version 1 already runs this code/);
});

test('an edit in the browser makes fp push stale; fp pull brings it without losing local edits; then push is accepted', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const fp = await signedIn(t, api, ada);
  const dir = join(fp.home, 'shared');
  t.is((await fp(['init', dir])).code, 0);
  const first = await fp(['push'], { cwd: dir });
  t.is(first.code, 0, first.stderr);
  const appId = await appIdOf(dir);

  // The browser saves an edit of app.py on top of the draft it loaded.
  const draft = (await ada.client.get(`/api/apps/${appId}/draft`)).body;
  const browserEdit = `${draft.files['app.py']}\n# edited in the browser\n`;
  t.is((await ada.client.put(`/api/apps/${appId}/draft`, { revision: draft.revision, files: { ...draft.files, 'app.py': browserEdit }, entrypoint: 'app.py' })).status, 200);

  // Meanwhile a new local file.
  await writeFile(join(dir, 'helpers.py'), 'def helper():\n    return 1\n');
  const stale = await fp(['push'], { cwd: dir });
  t.is(stale.code, 5, stale.stderr);
  t.regex(stale.stderr, /changed on the platform since your last pull or push/);
  t.regex(stale.stderr, /fp push --force/);
  t.is((await ada.client.get(`/api/apps/${appId}/draft`)).body.files['app.py'], browserEdit, 'the browser\'s edit is intact');

  const pulled = await fp(['pull'], { cwd: dir });
  t.is(pulled.code, 0, pulled.stderr);
  t.is(await readFile(join(dir, 'app.py'), 'utf8'), browserEdit);
  t.regex(await readFile(join(dir, 'helpers.py'), 'utf8'), /def helper/, 'the local edit is kept');

  const pushed = await fp(['push'], { cwd: dir });
  t.is(pushed.code, 0, pushed.stderr);
  const now = (await ada.client.get(`/api/apps/${appId}/draft`)).body;
  t.deepEqual(Object.keys(now.files).sort(), ['app.py', 'helpers.py']);
  t.is(now.files['app.py'], browserEdit);
});

test('fails when pulling would overwrite an unpushed edit: refused, the file untouched; --force takes the platform\'s', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const fp = await signedIn(t, api, ada);
  const dir = join(fp.home, 'both');
  t.is((await fp(['init', dir])).code, 0);
  t.is((await fp(['push'], { cwd: dir })).code, 0);
  const appId = await appIdOf(dir);
  const draft = (await ada.client.get(`/api/apps/${appId}/draft`)).body;
  await ada.client.put(`/api/apps/${appId}/draft`, { revision: draft.revision, files: { 'app.py': `${draft.files['app.py']}# browser\n` }, entrypoint: 'app.py' });
  const mine = `${draft.files['app.py']}# mine, not pushed\n`;
  await writeFile(join(dir, 'app.py'), mine);
  const refused = await fp(['pull'], { cwd: dir });
  t.is(refused.code, 5, refused.stderr);
  t.regex(refused.stderr, /would overwrite your unpushed edits to app\.py; nothing was changed/);
  t.is(await readFile(join(dir, 'app.py'), 'utf8'), mine);
  t.is((await fp(['pull', '--force'], { cwd: dir })).code, 0);
  t.regex(await readFile(join(dir, 'app.py'), 'utf8'), /# browser/);
});

test('fails when the code has a syntax error: fp deploy exits 6 with file:line and nothing is pushed or deployed', async (t) => {
  const api = await startApi(t);
  const ada = await signUp(api);
  const fp = await signedIn(t, api, ada);
  const dir = join(fp.home, 'broken');
  t.is((await fp(['init', dir])).code, 0);
  t.is((await fp(['deploy'], { cwd: dir })).code, 0);
  const appId = await appIdOf(dir);
  const before = (await ada.client.get(`/api/apps/${appId}`)).body;
  await writeFile(join(dir, 'app.py'), 'from fastapi import FastAPI\n\napp = FastAPI(\n\n@app.get("/")\ndef index():\n    return {}\n');
  const failed = await fp(['deploy'], { cwd: dir });
  t.is(failed.code, 6, failed.stderr);
  t.regex(failed.stderr, /app\.py:3:\d+: error: /);
  t.regex(failed.stderr, /nothing was pushed or deployed/);
  const after = (await ada.client.get(`/api/apps/${appId}`)).body;
  t.is(after.draftRevision, before.draftRevision, 'no draft was saved');
  t.is(after.latestVersion, before.latestVersion, 'no version was published');
  const validate = await fp(['validate', '--json'], { cwd: dir });
  t.is(validate.code, 6);
  const verdict = cliOutput.validate.parse(JSON.parse(validate.stdout));
  t.false(verdict.valid);
  t.true(verdict.findings.some((f) => f.file === 'app.py' && f.line === 3 && f.severity === 'error'));
});

test('a TypeScript app from fp init --framework hono: validate checks it with the TypeScript engine, a bad import fails with file:line, deploy runs it, fp list says typescript', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const fp = await signedIn(t, api, ada);
  const dir = join(fp.home, 'hono');
  const init = await fp(['init', dir, '--framework', 'hono']);
  t.is(init.code, 0, init.stderr);
  t.regex(init.stdout, /hello-world Hono \(TypeScript\) app: app\.ts/);
  t.like(parse(await readFile(join(dir, '.fp.yaml'), 'utf8')), { entrypoint: 'app.ts' });

  const valid = await fp(['validate'], { cwd: dir });
  t.is(valid.code, 0, valid.stdout + valid.stderr);
  t.regex(valid.stderr, /hono: valid \(typescript-estree .*esbuild 0\.28\.\d+, Node 20\./);

  const source = await readFile(join(dir, 'app.ts'), 'utf8');
  await writeFile(join(dir, 'app.ts'), `import leftPad from 'left-pad';\n${source}`);
  const refused = await fp(['validate', '--json'], { cwd: dir });
  t.is(refused.code, 6, refused.stderr);
  t.true(cliOutput.validate.parse(JSON.parse(refused.stdout)).findings.some((f) => f.file === 'app.ts' && f.line === 1 && f.severity === 'error'), refused.stdout);
  await writeFile(join(dir, 'app.ts'), source);

  const deployed = await fp(['deploy'], { cwd: dir });
  t.is(deployed.code, 0, deployed.stderr);
  const appId = await appIdOf(dir);
  const res = await appRequest(api, appId, '/');
  t.is(res.status, 200);
  t.regex(res.body, /Hello from the FastAPI Platform/);
  const listed = await fp(['list']);
  t.regex(listed.stdout, new RegExp(`hono +${appId} +typescript +running`));
  t.is(cliOutput.list.parse(JSON.parse((await fp(['list', '--json'])).stdout)).apps[0]?.language, 'typescript');
  t.regex((await fp(['status'], { cwd: dir })).stdout, /language +typescript, framework hono/);
});
