/**
 * The sandbox itself: its command line's rules, how the platform behaves without bubblewrap (apps do
 * not run unless UNSAFE_NO_SANDBOX says so, loudly), and the mode an ordinary (non-root) user gets:
 * bwrap in a user namespace, where mount namespaces alone keep tenants apart.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bwrapArgs, parentsOf } from '../../api/runtime/local/sandbox/bwrap-args.js';
import { repoRoot } from '../bed/paths.js';
import { appRequest, newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';
import type { LocalRuntime } from '../../api/runtime/local/runtime.js';

const hello = { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"hello": "sandbox"}\n' };

test('fails when a writable bind would live outside /tmp: /tmp is the only writable tree', (t) => {
  const spec = { symlinks: [], dataFiles: [], tmpBytes: 1 << 20, hostname: 'h', statusFd: 3, blockFd: null, mode: 'user' as const, command: ['/bin/true'] };
  t.throws(() => bwrapArgs({ ...spec, binds: [{ writable: true, source: '/srv/x', dest: '/run/app' }] }), { message: /must live under \/tmp/ });
  const args = bwrapArgs({ ...spec, binds: [{ writable: false, source: '/srv/code', dest: '/code' }, { writable: true, source: '/srv/s', dest: '/tmp/.platform' }] });
  // The tmpfs first, then what is bound below it; the root read-only at the end; the command as PID 1.
  t.true(args.indexOf('--tmpfs') < args.indexOf('/tmp/.platform'));
  t.deepEqual(args.slice(args.indexOf('--remount-ro'), args.indexOf('--remount-ro') + 2), ['--remount-ro', '/']);
  for (const flag of ['--die-with-parent', '--new-session', '--as-pid-1', '--unshare-pid', '--unshare-ipc', '--unshare-user', '--disable-userns']) t.true(args.includes(flag), flag);
  t.false(args.includes('--unshare-net'), 'apps keep outbound network (the threat model says so)');
  t.deepEqual(parentsOf(['/root/.pyenv/versions/3.11', '/opt/venv', '/etc/passwd']), ['/etc', '/opt', '/root', '/root/.pyenv', '/root/.pyenv/versions']);
});

test('fails to run apps when bubblewrap is missing: the deploy says why and how to fix it, and nothing runs unsandboxed', async (t) => {
  const api = await startApi(t, { runtime: 'local', env: { SANDBOX_BWRAP: '/nonexistent/bwrap' } });
  const runtime = api.runtime as LocalRuntime;
  t.is(runtime.sandbox.kind, 'unavailable');
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Nowhere', files: hello });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  const failed = await waitForPhase(user, app.id, 'failed');
  t.regex(failed.status.message, /apps cannot run: \/nonexistent\/bwrap is not installed \(Debian package bubblewrap\)/);
  t.deepEqual(runtime.pids(app.id), []);
});

test('UNSAFE_NO_SANDBOX runs apps without a sandbox, and says so', async (t) => {
  const logs: string[] = [];
  const api = await startApi({ log: (m) => logs.push(m), teardown: (fn) => t.teardown(fn) }, { runtime: 'local', env: { UNSAFE_NO_SANDBOX: '1' } });
  t.is((api.runtime as LocalRuntime).sandbox.kind, 'unsandboxed');
  t.true(logs.some((l) => /apps run UNSANDBOXED/.test(l)), logs.join('\n'));
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Bare', files: hello });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  await waitForPhase(user, app.id, 'running', 120_000);
  t.is((await appRequest(api, app.id, '/')).body, '{"hello":"sandbox"}');
});

test('as an ordinary user, bwrap runs in a user namespace: the sandbox sees only its binds, writes only /tmp, holds no capability and cannot nest namespaces', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fp-as-user-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'visible'));
  await mkdir(join(dir, 'hidden'));
  await writeFile(join(dir, 'visible', 'hello.txt'), 'hello from the code');
  await writeFile(join(dir, 'hidden', 'secret.txt'), 'another tenant');
  await chmod(dir, 0o755);
  await promisify(execFile)('chown', ['-R', '65534:65534', dir]);
  const tsxCache = join(dir, 'tmp');
  await mkdir(tsxCache);
  await chown(tsxCache, 65534, 65534);
  const { stdout } = await promisify(execFile)('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--',
    process.execPath, '--import', 'tsx', join(repoRoot, 'test/fixtures/sandbox/as-user.ts'), dir], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tsxCache, HOME: tsxCache }, timeout: 60_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  t.is(result.hostUid, 65534);
  t.false(result.privileged, result.plan);
  t.is(result.uids, 'platform');
  t.regex(result.plan, /user namespace; every tenant as the platform's own user \(not root\); mount namespaces alone keep tenants apart/);
  t.is(result.code, 0, result.err);
  const facts = result.facts as Record<string, string>;
  t.is(facts.uid, '65534');
  // Its own PID namespace: the shell is 1, and what it ran (ls, grep) a few more; nothing of the host.
  const pids = (facts.pids ?? '').split(' ').map(Number);
  t.is(pids[0], 1);
  t.true(pids.every((pid) => pid < 50), facts.pids);
  t.is(facts.code, 'hello from the code');
  t.is(facts.hidden, 'unreachable');
  t.is(facts.code_write, 'no');
  t.is(facts.root_write, 'no');
  t.is(facts.tmp_write, 'yes');
  t.is(facts.socket_dir_write, 'yes');
  t.is(facts.nested_userns, 'no');
  t.is(facts.caps, '0000000000000000');
  t.false((facts.root ?? '').includes('work') || (facts.root ?? '').includes('home'), facts.root);
});
