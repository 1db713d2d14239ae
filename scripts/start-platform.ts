/**
 * `npm start` after set-up: the whole platform on this machine with no cluster. Everything it keeps
 * lives in DATA_DIR (default `.data/`), so a restart finds users, apps and deployed versions again:
 * FerretDB's files for the platform and, separately, for apps' own databases (apps never get the
 * platform's server), the generated SECRET_KEY, and the local runtime's files. Then it runs the API
 * (api/main.ts: API, UI, proxy and local runtime on one port) as a child and prints the URL.
 *
 * Honoured from the environment: PORT (8080), DATA_DIR, MONGO_URI (skips the platform's FerretDB),
 * APPS_MONGO_URI, SECRET_KEY, PUBLIC_URL, and everything api/config.ts reads.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

/** Generated once and kept: sessions, CSRF tokens and encrypted env vars must survive restarts. */
async function secretKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'secret-key');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = randomBytes(32).toString('hex');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

async function main(): Promise<void> {
  const paths = setupPaths();
  const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
  await mkdir(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  const port = process.env.PORT ?? '8080';
  const servers: FerretDb[] = [];
  // A platform killed without a chance to clean up leaves its FerretDB processes behind.
  const ferretPids = new PidFiles(join(dataDir, 'mongo'), 'ferretdb');
  await ferretPids.reapStale();
  const ferret = async (name: string, dir: string) => {
    const server = await startFerretDb({ binary: paths.FP_FERRETDB ?? '', dataDir: join(dataDir, dir), logFile: join(dataDir, 'logs', `${dir}.log`), name });
    if (server.process.pid) await ferretPids.record(server.process.pid, name);
    servers.push(server);
    return server.uri;
  };
  const mongoUri = process.env.MONGO_URI ?? await ferret('platform database (FerretDB)', 'platform-db');
  const appsMongoUri = process.env.APPS_MONGO_URI ?? await ferret('apps\' databases (FerretDB)', 'apps-db');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    PORT: port,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    MONGO_URI: mongoUri,
    APPS_MONGO_URI: appsMongoUri,
    SECRET_KEY: process.env.SECRET_KEY ?? await secretKey(dataDir),
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
