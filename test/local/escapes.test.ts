/**
 * Tenant isolation on one machine, tried as an attacker would: on `npm start`'s platform (run by the
 * test as root, as CI runs it), an ordinary user deploys an app that passes validation and tries every
 * way out the security review found, against another tenant's app deployed beside it. Each attempt
 * must fail, and the app must still work: serve requests, read its env vars, write /tmp and reach its
 * own database. Run with a UID per tenant (the default as root) and with one shared UID (what an
 * ordinary user's laptop has), where mount namespaces alone keep tenants apart.
 */
import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/lib/ports.js';
import { appRequest, newApp, signUp, waitForPhase, type TestUser } from '../helpers/api.js';
import { venvPython } from '../helpers/bed.js';
import { launch, shellEnv, type Launched } from '../helpers/platform-process.js';
import { descendants, listeningPorts, realUid } from '../helpers/processes.js';

const probeSource = readFile(new URL('../fixtures/apps/escape_probe.py', import.meta.url), 'utf8');
const victimSource = `import os

import pymongo
from fastapi import FastAPI

app = FastAPI()
pymongo.MongoClient(os.environ["PLATFORM_MONGO_URI"]).get_default_database()["notes"].insert_one({"victim": "secret-victim-data"})


@app.get("/")
def index():
    return {"victim": "secret-victim-data"}
`;

interface Attempt {
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Through the platform's proxy with the app's Host header (fetch would drop it). */
async function call(port: number, appId: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const reply = await appRequest({ port }, appId, path, {
    method: body === undefined ? 'GET' : 'POST', headers: { host: `app-${appId}.localhost:${port}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  try {
    return { status: reply.status, body: JSON.parse(reply.body) };
  } catch {
    return { status: reply.status, body: reply.body };
  }
}

async function deploy(user: TestUser, name: string, files: Record<string, string>, env: { name: string; value: string }[] = []): Promise<string> {
  const app = await newApp(user, { name, files, env });
  const deployed = await user.client.post(`/api/apps/${app.id}/deploy`, {});
  if (deployed.status !== 202) throw new Error(`deploy ${name} → ${deployed.status}: ${JSON.stringify(deployed.body)}`);
  await waitForPhase(user, app.id, 'running', 120_000);
  return app.id;
}

/** The sandboxed runner processes of the platform, by app id (their bwrap parent names the app's host). */
async function runners(launcherPid: number): Promise<Map<string, number>> {
  const tree = await descendants(launcherPid);
  const found = new Map<string, number>();
  for (const p of tree) {
    const appId = /--hostname app-([a-z0-9]{10})/.exec(p.cmdline)?.[1];
    if (!appId) continue;
    const runner = tree.find((c) => c.ppid === p.pid && c.cmdline.includes('/opt/runner/entrypoint.py'));
    if (runner) found.set(appId, runner.pid);
  }
  return found;
}

async function attack(t: ExecutionContext, mode: 'per-tenant' | 'shared'): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fp-escape-'));
  const port = await freePort();
  const platform: Launched = await launch(shellEnv({ DATA_DIR: dataDir, PORT: String(port), SANDBOX_UIDS: mode }), port);
  t.teardown(async () => {
    if (platform.child.exitCode === null) {
      platform.child.kill('SIGTERM');
      await platform.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });
  t.regex(platform.output(), mode === 'per-tenant' ? /sandbox: bubblewrap [\d.]+, privileged; each tenant as its own host UID/ : /sandbox: bubblewrap [\d.]+, privileged; every tenant as the shared UID/);
  const api = { url: `http://127.0.0.1:${port}` };
  await signUp(api); // the admin
  const victim = await signUp(api);
  const attacker = await signUp(api);
  t.false(attacker.isAdmin);
  const victimId = await deploy(victim, 'Victim', { 'app.py': victimSource });
  const probeId = await deploy(attacker, 'Probe', { 'app.py': await probeSource }, [{ name: 'GREETING', value: 'hi' }]);

  // What the host knows, handed to the probe as its targets.
  const launcherPid = platform.child.pid ?? 0;
  const tree = await descendants(launcherPid);
  const apiPid = tree.find((p) => p.cmdline.includes('api/main.ts'))?.pid ?? 0;
  const runtimeDir = join(dataDir, 'runtime');
  const victimVersions = await readdir(join(runtimeDir, 'apps', victimId));
  const otherCodeDir = join(runtimeDir, 'apps', victimId, victimVersions.find((v) => v.startsWith('v1-')) ?? '');
  const victimSocketDir = (await readdir(join(runtimeDir, 'sock'))).find((d) => d.startsWith(`${victimId}-`)) ?? '';
  const otherSocket = join(runtimeDir, 'sock', victimSocketDir, 'app.sock');
  const victimDb = (await victim.client.get('/api/databases')).body.databases[0] as { dbName: string };
  // Tenant servers' directories are named by a hash of the owner (api/runtime/local/tenant-servers.ts).
  const victimDbDir = createHash('sha256').update(victim.id).digest('hex').slice(0, 12);
  t.true((await readdir(join(runtimeDir, 'db'))).includes(victimDbDir));
  const platformPids = [launcherPid, ...tree.filter((p) => !p.cmdline.includes('bwrap') && !p.cmdline.includes('/opt/runner/')).map((p) => p.pid)];
  const ports = await listeningPorts(platformPids);
  const facts = {
    platformPid: apiPid, launcherPid, dataDir, secretKeyFile: join(dataDir, 'secret-key'), databasePasswordFile: join(dataDir, 'platform-db.password'),
    otherCodeDir, otherCodeFile: join(otherCodeDir, 'app.py'), otherSocket, platformDbSocket: join(dataDir, 'platform-db', 'db.sock'), ports,
    otherDbName: victimDb.dbName, otherDbUri: `mongodb://${encodeURIComponent(join(runtimeDir, 'db', victimDbDir, 'sock', 'db.sock'))}/`,
    hostCacheDir: dirname(dirname(dirname(venvPython()))),
  };
  // The host's own view first: the victim's socket works from the platform's side.
  t.regex(JSON.stringify((await call(port, victimId, '/')).body), /secret-victim-data/);
  t.true(ports.includes(port), `the platform's own port is among ${ports.join(', ')}`);

  const probe = await call(port, probeId, '/probe', facts);
  t.is(probe.status, 200, JSON.stringify(probe.body).slice(0, 500));
  const report = probe.body as Record<string, any>;
  const failed = (name: string, attempt: Attempt | undefined) => t.false(attempt?.ok ?? true, `${name} succeeded: ${JSON.stringify(attempt).slice(0, 300)}`);
  const secrets = [await readFile(facts.secretKeyFile, 'utf8'), await readFile(facts.databasePasswordFile, 'utf8')].map((s) => s.trim());

  // uid 0: neither inside nor as the host sees it; and tenants apart (or one shared non-root UID).
  t.not(report.uid, 0);
  const pids = await runners(launcherPid);
  const [probeUid, victimUid] = [await realUid(pids.get(probeId) ?? 0), await realUid(pids.get(victimId) ?? 0)];
  t.true(probeUid > 0 && victimUid > 0, `host UIDs ${probeUid} and ${victimUid}`);
  t.is(report.uid, probeUid);
  if (mode === 'per-tenant') t.not(probeUid, victimUid);
  else t.is(probeUid, victimUid);

  // The parent's or PID 1's environment: its own PID namespace; PID 1 is the app itself.
  t.deepEqual(report.proc_pids, [1]);
  failed('reading the parent\'s environment', report.parent_environ);
  failed('reading the platform\'s environment', report.platform_environ);
  failed('reading the launcher\'s environment', report.launcher_environ);
  const pid1 = String(report.pid1_environ?.value ?? '');
  for (const secret of secrets) t.false(pid1.includes(secret), 'PID 1\'s environment holds a platform secret');
  t.false(/(^|\0)(SECRET_KEY|MONGO_URI|APPS_MONGO_URI|FP_BED_\w*)=/.test(pid1), `the platform's variables in PID 1's environment: ${pid1.slice(0, 300)}`);
  for (const secret of secrets) t.false(JSON.stringify(report.own_environ).includes(secret), 'a platform secret in the app\'s environment');

  // The data directory and the secret key file; the host's cache (where the venv really lives).
  failed('listing the data directory', report.data_dir);
  failed('reading the secret key', report.secret_key);
  failed('reading the database password', report.database_passwords);
  failed('listing the host cache', report.host_cache_dir);
  // Other apps' code.
  failed('listing another app\'s code', report.other_code_dir);
  failed('reading another app\'s code', report.other_code_file);
  // Another runner's socket, the platform's database socket, and every loopback port of the platform.
  failed('calling another tenant\'s runner on its socket', report.other_socket);
  failed('reaching the platform\'s database socket', report.platform_db_socket);
  for (const [p, attempt] of Object.entries(report.tcp_mongo as Record<string, Attempt>)) failed(`an unauthenticated database on port ${p}`, attempt);
  for (const [p, attempt] of Object.entries(report.tcp_http as Record<string, Attempt>)) t.false(JSON.stringify(attempt).includes('secret-victim-data'), `the victim answered on port ${p}`);
  // Another tenant's database: its server's socket is not in this sandbox, and the same database name
  // on the attacker's own server is an empty database of the attacker's.
  failed('reaching another tenant\'s database server', report.other_db_socket);
  t.deepEqual(report.other_db_via_own_server, { ok: true, value: { listed: false, documents: [] } });
  // Writing outside its own /tmp.
  for (const [path, attempt] of Object.entries(report.writes as Record<string, Attempt>)) failed(`writing ${path}`, attempt);

  // And the app still works.
  t.is(report.greeting, 'hi');
  t.deepEqual(report.tmp, { ok: true, value: 'kept' });
  t.like(report.own_database, { ok: true });

  // File modes: with a UID per tenant, the attacker's UID cannot even open the victim's socket directory.
  if (mode === 'per-tenant') {
    const tryAs = promisify(execFile)('setpriv', [`--reuid=${probeUid}`, `--regid=${probeUid}`, '--clear-groups', 'ls', dirname(otherSocket)]);
    await t.throwsAsync(tryAs, { message: /Permission denied/ });
  }
}

test('an ordinary user\'s app tries every escape on npm start\'s platform, with a UID per tenant: each fails, and the app still works', async (t) => {
  await attack(t, 'per-tenant');
});

test('the same escapes with one shared sandbox UID (an ordinary user\'s laptop): mount namespaces alone stop each', async (t) => {
  await attack(t, 'shared');
});
