/**
 * Builds a gateway with its traffic writer: in the platform process for the local runtime, or as its
 * own process on Kubernetes (api/gateway-main.ts). `replica` names this process's documents (a stable
 * name per process: `local` for the one local platform, the pod's name on Kubernetes).
 */
import type { Database } from '../db/database.js';
import type { AppBackend, Waker } from './backend.js';
import { Gateway } from './gateway.js';
import { DatabaseAppOwners } from './owners.js';
import { TrafficWriter } from './traffic-writer.js';

export interface CreateGatewayOptions {
  readonly db: Database;
  readonly backend: AppBackend;
  readonly waker: Waker | null;
  readonly appDomain: string;
  readonly protocol: 'http' | 'https';
  readonly replica: string;
  readonly holdMs?: number;
  readonly waitMs?: number;
  readonly flushMs?: number;
  readonly log: (message: string) => void;
}

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly traffic: TrafficWriter;
  readonly owners: DatabaseAppOwners;
  close(): Promise<void>;
}

export function createGateway(options: CreateGatewayOptions): RunningGateway {
  const traffic = new TrafficWriter(options.db.traffic, { replica: options.replica, log: options.log, ...(options.flushMs ? { flushMs: options.flushMs } : {}) });
  const owners = new DatabaseAppOwners(options.db.apps);
  const gateway = new Gateway({
    appDomain: options.appDomain, protocol: options.protocol, backend: options.backend, owners, traffic, waker: options.waker,
    waitMs: options.waitMs ?? 15_000, holdMs: options.holdMs ?? 30_000,
  });
  return {
    gateway, traffic, owners,
    async close() {
      gateway.close();
      await traffic.close();
    },
  };
}
