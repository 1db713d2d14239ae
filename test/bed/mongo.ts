/**
 * The bed's MongoDB-protocol server: the server named by MONGO_URI when it is set, otherwise FerretDB
 * (built by scripts/setup.sh) with its SQLite backend in a throwaway directory.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ping, startFerretDb } from '../../scripts/lib/ferretdb.js';

export { ping };

export interface MongoBed {
  readonly uri: string;
  readonly kind: 'external' | 'ferretdb';
  stop(): Promise<void>;
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
  const server = await startFerretDb({ binary: options.ferretdb, dataDir, logFile: join(options.workDir, 'ferretdb.log') });
  return {
    uri: server.uri,
    kind: 'ferretdb',
    async stop() {
      await server.process.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
