/**
 * FerretDB (a MongoDB-protocol server, SQLite backend) on a free loopback port, with its data in
 * `dataDir`: the test bed's throwaway server and `npm start`'s persistent ones.
 */
import { mkdir } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { freePort } from './ports.js';
import { ServerProcess } from './server-process.js';

export interface FerretDb {
  readonly uri: string;
  readonly process: ServerProcess;
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

export async function startFerretDb(options: { binary: string; dataDir: string; logFile: string; name?: string }): Promise<FerretDb> {
  await mkdir(options.dataDir, { recursive: true });
  const [port, debugPort] = [await freePort(), await freePort()];
  const process = new ServerProcess({
    name: options.name ?? 'ferretdb',
    command: options.binary,
    logFile: options.logFile,
    args: [
      '--handler=sqlite', `--sqlite-url=file:${options.dataDir}/`, `--state-dir=${options.dataDir}`,
      `--listen-addr=127.0.0.1:${port}`, `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable', '--log-level=warn',
    ],
  });
  const uri = `mongodb://127.0.0.1:${port}/`;
  await process.waitReady(() => ping(uri), 30_000);
  return { uri, process };
}
