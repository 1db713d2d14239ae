/**
 * FerretDB (a MongoDB-protocol server, SQLite backend) with its data in `dataDir`: the test bed's
 * throwaway server and `npm start`'s persistent ones. It listens on a free loopback port, or, given
 * `unixSocket`, on that socket alone (no TCP port at all); with `auth`, every command but the
 * handshake needs SCRAM credentials (FerretDB 1.24's new authentication, the user created at first
 * start). Its debug HTTP listener is always off.
 */
import { mkdir } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { freePort } from './ports.js';
import { ServerProcess } from './server-process.js';

export interface FerretDb {
  readonly uri: string;
  readonly process: ServerProcess;
}

export interface FerretDbOptions {
  readonly binary: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly name?: string;
  /** Listen only on this Unix socket (at most 107 bytes). */
  readonly unixSocket?: string;
  /** Require these credentials (kept stable: FerretDB creates the user once). */
  readonly auth?: { readonly username: string; readonly password: string };
}

export async function ping(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

/** A mongodb:// URI for a TCP address or a Unix socket, with credentials (authSource admin). */
export function mongoUri(where: { socket: string } | { host: string; port: number }, auth?: FerretDbOptions['auth']): string {
  const host = 'socket' in where ? encodeURIComponent(where.socket) : `${where.host}:${where.port}`;
  const user = auth ? `${encodeURIComponent(auth.username)}:${encodeURIComponent(auth.password)}@` : '';
  return `mongodb://${user}${host}/${auth ? '?authSource=admin' : ''}`;
}

export async function startFerretDb(options: FerretDbOptions): Promise<FerretDb> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.unixSocket && Buffer.byteLength(options.unixSocket) > 107) {
    throw new Error(`the database socket path ${options.unixSocket} is longer than a Unix socket allows (107 bytes); choose a shorter DATA_DIR`);
  }
  const port = options.unixSocket ? 0 : await freePort();
  const listen = options.unixSocket ? ['--listen-addr=', `--listen-unix=${options.unixSocket}`] : [`--listen-addr=127.0.0.1:${port}`];
  // Credentials go through the environment (readable by the owner only), never the command line.
  const auth = options.auth
    ? { FERRETDB_TEST_ENABLE_NEW_AUTH: 'true', FERRETDB_SETUP_DATABASE: 'admin', FERRETDB_SETUP_USERNAME: options.auth.username, FERRETDB_SETUP_PASSWORD: options.auth.password }
    : {};
  const process = new ServerProcess({
    name: options.name ?? 'ferretdb',
    command: options.binary,
    logFile: options.logFile,
    env: { PATH: globalThis.process.env.PATH ?? '/usr/bin:/bin', ...auth },
    args: [
      '--handler=sqlite', `--sqlite-url=file:${options.dataDir}/`, `--state-dir=${options.dataDir}`,
      ...listen, '--debug-addr=-', '--telemetry=disable', '--log-level=warn',
    ],
  });
  const uri = mongoUri(options.unixSocket ? { socket: options.unixSocket } : { host: '127.0.0.1', port }, options.auth);
  await process.waitReady(() => ping(uri), 30_000);
  return { uri, process };
}
