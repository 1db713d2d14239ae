/**
 * The bed's MongoDB-protocol server: the server named by MONGO_URI when it is set, otherwise FerretDB
 * (built by scripts/setup.sh) with its SQLite backend in a throwaway directory.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from './ports.js';
import { ServerProcess } from './process.js';

export interface MongoBed {
  readonly uri: string;
  readonly kind: 'external' | 'ferretdb';
  stop(): Promise<void>;
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

export async function startMongo(options: { ferretdb: string; workDir: string; externalUri?: string | undefined }): Promise<MongoBed> {
  if (options.externalUri) {
    const uri = options.externalUri;
    try {
      await ping(uri);
    } catch (error) {
      throw new Error(`MONGO_URI is set but its server does not answer a ping: ${(error as Error).message}`, { cause: error });
    }
    return { uri, kind: 'external', stop: async () => {} };
  }
  // On /dev/shm when there is one, as etcd: tests and benches measure the platform, not the disk's fsync.
  const dataDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : options.workDir, 'fp-ferretdb-'));
  await mkdir(dataDir, { recursive: true });
  const [port, debugPort] = [await freePort(), await freePort()];
  const process = new ServerProcess({
    name: 'ferretdb',
    command: options.ferretdb,
    logFile: join(options.workDir, 'ferretdb.log'),
    args: [
      '--handler=sqlite', `--sqlite-url=file:${dataDir}/`, `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`, `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable', '--log-level=warn',
    ],
  });
  const uri = `mongodb://127.0.0.1:${port}/`;
  await process.waitReady(() => ping(uri), 30_000);
  return {
    uri,
    kind: 'ferretdb',
    async stop() {
      await process.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
