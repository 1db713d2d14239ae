/**
 * `npm start` after set-up: the whole platform on this machine with no cluster. Everything it keeps
 * lives in DATA_DIR (default `.data/`, mode 0700), so a restart finds users, apps and deployed
 * versions again: the platform's FerretDB files, the generated SECRET_KEY and database password
 * (0600), and the local runtime's files, tenants' own database servers included (the API starts one
 * FerretDB per tenant, in that tenant's sandbox; apps never get the platform's server). The
 * platform's database listens on a Unix socket inside DATA_DIR only and requires credentials. Then it
 * runs the API (api/main.ts: API, UI, proxy and local runtime on one port, on 127.0.0.1 unless HOST
 * says otherwise) as a child and prints the URL.
 *
 * Honoured from the environment: PORT (8080), HOST, DATA_DIR, MONGO_URI (skips the platform's
 * FerretDB), SECRET_KEY, PUBLIC_URL, and everything api/config.ts reads.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFerretDb, type FerretDb } from './lib/ferretdb.js';
import { PidFiles } from '../api/runtime/local/pid-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (message: string) => console.error(`[start] ${message}`);

function setupPaths(): Record<string, string> {
  const file = join(root, '.setup/paths.env');
  if (!existsSync(file)) throw new Error('.setup/paths.env is missing: run `npm start` (scripts/start.sh runs the set-up first)');
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** A random secret generated once and kept in `name` (0600): sessions, encrypted env vars and database users outlive restarts. */
async function keptSecret(dataDir: string, name: string): Promise<string> {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, 'utf8')).trim();
  }
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

async function main(): Promise<void> {
  const paths = setupPaths();
  const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
  await mkdir(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  // Only the platform's user may look inside: the secret key, the databases and every app's files.
  await chmod(dataDir, 0o700);
  const port = process.env.PORT ?? '8080';
  const servers: FerretDb[] = [];
  // A platform killed without a chance to clean up leaves its FerretDB processes behind.
  const ferretPids = new PidFiles(join(dataDir, 'mongo'), ['ferretdb']);
  await ferretPids.reapStale();
  const ferret = async (name: string, dir: string, user: string) => {
    const password = await keptSecret(dataDir, `${dir}.password`);
    const server = await startFerretDb({
      binary: paths.FP_FERRETDB ?? '', dataDir: join(dataDir, dir), logFile: join(dataDir, 'logs', `${dir}.log`), name,
      auth: { username: user, password }, unixSocket: join(dataDir, dir, 'db.sock'),
    });
    if (server.process.pid) await ferretPids.record(server.process.pid, name);
    servers.push(server);
    return server.uri;
  };
  // The platform's own database has no TCP port at all.
  const mongoUri = process.env.MONGO_URI ?? await ferret('platform database (FerretDB)', 'platform-db', 'platform');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    PORT: port,
    HOST: process.env.HOST ?? '127.0.0.1',
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    MONGO_URI: mongoUri,
    FERRETDB_BINARY: process.env.FERRETDB_BINARY ?? paths.FP_FERRETDB ?? '',
    SECRET_KEY: process.env.SECRET_KEY ?? await keptSecret(dataDir, 'secret-key'),
    RUNTIME: process.env.RUNTIME ?? 'local',
    FP_PYTHON: process.env.FP_PYTHON ?? join(paths.FP_VENV ?? '', 'bin/python'),
    DATA_DIR: join(dataDir, 'runtime'),
  };
  const api = fork(join(root, 'api/main.ts'), [], { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const stopServers = async () => {
    await Promise.all(servers.map(async (s) => {
      await s.process.stop();
      if (s.process.pid) await ferretPids.forget(s.process.pid);
    }));
  };
  api.on('message', (message: { ready?: boolean; port?: number }) => {
    if (!message.ready) return;
    const url = new URL(env.PUBLIC_URL ?? '');
    console.log(`\nFastAPI Platform is running at ${url.origin}/\n  apps answer at ${url.protocol}//app-<id>.localhost:${message.port}/\n  data in ${dataDir}\n`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => api.kill(signal));
  api.on('exit', (code, signal) => {
    void stopServers().then(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}

main().catch((error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
