/**
 * etcd for the test bed, from Debian's etcd-server (3.4): its own data directory and loopback ports,
 * never the system instance the package may start. The data directory goes on /dev/shm when it
 * exists, because every apiserver write waits for etcd's fsync.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.js';
import { ServerProcess } from '../../scripts/lib/server-process.js';

export interface EtcdServer {
  readonly url: string;
  readonly process: ServerProcess;
  stop(): Promise<void>;
}

/** `dataRoot`: where the data directory goes (the real node's lives under its own state, to be found after a crash). */
export async function startEtcd(binary: string, workDir: string, name = 'fixtures', dataRoot?: string): Promise<EtcdServer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(dataRoot ?? (existsSync('/dev/shm') ? '/dev/shm' : workDir), 'fp-etcd-'));
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const process = new ServerProcess({
    name: 'etcd',
    command: binary,
    logFile: join(workDir, name === 'fixtures' ? 'etcd.log' : `etcd-${name}.log`),
    args: [
      '--name=bed', `--data-dir=${dataDir}`,
      `--listen-client-urls=${url}`, `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=bed=${peer}`,
      '--logger=zap', '--log-outputs=stderr',
    ],
  });
  await process.waitReady(async () => {
    const response = await fetch(`${url}/health`);
    return response.ok && ((await response.json()) as { health?: string }).health === 'true';
  }, 30_000);
  return {
    url,
    process,
    async stop() {
      await process.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
