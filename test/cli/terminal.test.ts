/**
 * fp in a terminal and out of one: under tmux (a real TTY) `fp deploy` shows a live progress display;
 * the same deploy through pipes prints plain lines, no spinner and no colour codes. `fp completion
 * bash` loads in bash and completes commands and flags; every --json read command's output validates
 * against its documented schema.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { cliOutput } from '../../contract/schemas/index.js';
import { venvPython } from '../helpers/bed.js';
import { signUp, startApi } from '../helpers/api.js';
import { fpBin, fpFor, fpSignedIn } from '../helpers/cli.js';

const run = promisify(execFile);
const spinnerFrames = /[◒◐◓◑◇]/;
// eslint-disable-next-line no-control-regex -- the escape character is what is looked for
const colourCode = /\x1b\[/;

test('under tmux fp deploy shows a live progress display; through pipes the same deploy prints plain lines', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const fp = await fpSignedIn(t, api, ada);
  const dir = join(fp.home, 'tty');
  t.is((await fp(['init', dir])).code, 0);

  const plain = await fp(['deploy'], { cwd: dir });
  t.is(plain.code, 0, plain.stderr);
  t.regex(plain.stderr, /^Version 1: starting the rollout…$/m);
  t.regex(plain.stderr, /^Version 1 is live \(\d+\.\d s\)\.$/m);
  t.notRegex(plain.stderr, spinnerFrames);
  t.notRegex(plain.stdout + plain.stderr, colourCode, 'no colour codes without a TTY');

  await appendFile(join(dir, 'app.py'), '\n\n@app.get("/two")\ndef two():\n    return 2\n');
  const socket = `fp-test-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args], { env: { ...process.env, HOME: fp.home, FP_PYTHON: venvPython(), TERM: 'xterm-256color' } });
  t.teardown(() => tmux('kill-server').then(() => undefined, () => undefined));
  await tmux('new-session', '-d', '-x', '120', '-y', '30', '-c', dir, `${process.execPath} ${fpBin} deploy; echo "fp-exit:$?"; sleep 60`);
  const seen = new Set<string>();
  const deadline = Date.now() + 60_000;
  let screen = '';
  while (!/fp-exit:\d+/.test(screen)) {
    if (Date.now() > deadline) throw new Error(`fp deploy under tmux did not finish within 60 s:\n${screen}`);
    screen = (await tmux('capture-pane', '-p', '-J')).stdout;
    for (const frame of screen.match(/[◒◐◓◑◇]/g) ?? []) seen.add(frame);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  t.regex(screen, /fp-exit:0/, screen);
  t.regex(screen, /Version 2 is live/);
  t.true(seen.size > 0, `a spinner was drawn; the screen was:\n${screen}`);
  const coloured = (await tmux('capture-pane', '-p', '-e', '-J')).stdout;
  t.regex(coloured, colourCode, 'colours on a TTY');
});

test('fp completion bash loads in bash and completes commands, subcommands and flags', async (t) => {
  const fp = await fpFor(t);
  const script = await fp(['completion', 'bash']);
  t.is(script.code, 0, script.stderr);
  const complete = async (...words: string[]) => {
    const program = `eval "$(${process.execPath} ${fpBin} completion bash)"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _fp_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return (await run('bash', ['--norc', '-c', program], { env: { ...process.env, HOME: fp.home } })).stdout.trim().split('\n');
  };
  t.deepEqual(await complete('fp', 'depl'), ['deploy']);
  t.deepEqual((await complete('fp', 'env', '')).filter((w) => !w.startsWith('-')), ['list', 'set', 'unset']);
  t.true((await complete('fp', 'logs', 'my-app', '--f')).includes('--follow'));
  t.is((await run('bash', ['--norc', '-c', `complete -p fp 2>/dev/null || eval "$(${process.execPath} ${fpBin} completion bash)"; complete -p fp`])).stdout.trim(), 'complete -o default -F _fp_completion fp');
  for (const shell of ['zsh', 'fish']) {
    const generated = await fp(['completion', shell]);
    t.is(generated.code, 0);
    t.regex(generated.stdout, /deploy/);
  }
  t.is((await fp(['completion', 'powershell'])).code, 2);
});

test('every read command\'s --json output validates against its documented schema', async (t) => {
  const api = await startApi(t, { runtime: 'local' });
  const ada = await signUp(api);
  const fp = await fpSignedIn(t, api, ada);
  const dir = join(fp.home, 'jsonapp');
  t.is((await fp(['init', dir, '--template', 'hello-fastapi'])).code, 0);
  t.is((await fp(['deploy'], { cwd: dir })).code, 0);
  t.is((await fp(['env', 'set', 'GREETING=hi', 'MODE=x'], { cwd: dir })).code, 0);
  const appId = (parse(await readFile(join(dir, '.fp.yaml'), 'utf8')) as { app_id: string }).app_id;
  const read = async (args: string[]) => {
    const result = await fp([...args, '--json'], { cwd: dir });
    t.is(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(result.stdout) as unknown;
  };
  cliOutput.whoami.parse(await read(['whoami']));
  cliOutput.platforms.parse(await read(['platforms']));
  t.is(cliOutput.list.parse(await read(['list'])).apps[0]?.id, appId);
  // `env set` redeployed the app with the new env: its status says deploying until that is done.
  let phase = '';
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && phase !== 'ready';) {
    phase = cliOutput.status.parse(await read(['status'])).runtime.phase;
    if (phase !== 'ready') await new Promise((resolve) => setTimeout(resolve, 500));
  }
  t.is(phase, 'ready');
  t.is(cliOutput.versions.parse(await read(['versions'])).versions.length, 1);
  const env = cliOutput.envList.parse(await read(['env', 'list']));
  t.deepEqual(env.env.map((v) => v.name).sort(), ['GREETING', 'MODE']);
  t.false(JSON.stringify(env).includes('hi'), 'values are never printed');
  t.true(cliOutput.tokensList.parse(await read(['tokens', 'list'])).tokens.some((x) => x.name === 'fp test'));
  t.true(cliOutput.templates.parse(await read(['templates'])).templates.length >= 10);
  cliOutput.requests.parse(await read(['requests']));
  cliOutput.validate.parse(JSON.parse((await fp(['validate', '--json'], { cwd: dir })).stdout));
  const logs = await fp(['logs', '--json', '--tail', '50'], { cwd: dir });
  t.is(logs.code, 0, logs.stderr);
  const lines = logs.stdout.trim().split('\n').filter(Boolean).map((l) => cliOutput.logLine.parse(JSON.parse(l)));
  t.true(lines.length > 0, 'the runner wrote lines at start');
  const created = cliOutput.tokensCreate.parse(await read(['tokens', 'create', 'made-by-fp']));
  t.regex(created.token, /^fpt_/);
  t.is((await fp(['tokens', 'revoke', created.id])).code, 0);
  t.is((await fp(['whoami'], { env: { FP_URL: api.url, FP_TOKEN: created.token } })).code, 3, 'a revoked token is refused');
});
