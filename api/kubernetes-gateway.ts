/**
 * The gateway as it runs on Kubernetes, in its own process (api/gateway-main.ts) or beside a test's
 * API on the real node: the apps' ready pods from EndpointSlices, the shared gateway (records,
 * rollups, holds) in front of them, and wakes through the scale subresource, one per app across
 * every replica (the app's lock in the database). It reads the apps' records and the cluster; it holds
 * no app's secrets and never applies an app's objects.
 */
import type { Database } from './db/database.js';
import { createGateway, type RunningGateway } from './gateway/index.js';
import { AppEndpoints, type KubeClient } from './k8s/index.js';
import { kubernetesBackend } from './runtime/kubernetes/backend.js';
import { wakeApp } from './runtime/kubernetes/sleep.js';
import { LockService } from './services/locks.js';
import { Wakes } from './services/wakes.js';

export interface KubernetesGatewayOptions {
  readonly db: Database;
  readonly client: KubeClient;
  readonly appsNamespace: string;
  readonly appDomain: string;
  readonly protocol: 'http' | 'https';
  /** Names this process's traffic documents: the pod's name. */
  readonly replica: string;
  readonly holdMs?: number;
  readonly waitMs?: number;
  readonly flushMs?: number;
  readonly log: (message: string) => void;
}

export interface KubernetesGateway extends RunningGateway {
  readonly endpoints: AppEndpoints;
  readonly wakes: Wakes;
}

export async function startKubernetesGateway(options: KubernetesGatewayOptions): Promise<KubernetesGateway> {
  const endpoints = new AppEndpoints(options.client, options.appsNamespace, options.log);
  await endpoints.start();
  const view = {
    ready: (appId: string) => endpoints.addresses(appId).length > 0,
    failing: (appId: string) => endpoints.deployment(appId)?.failing ?? null,
    changed: (appId: string, ms: number) => endpoints.changed(appId, ms),
  };
  const wakes = new Wakes({
    db: options.db, locks: new LockService(options.db.locks), log: options.log,
    wakeRuntime: (app) => wakeApp(options.client, options.appsNamespace, app._id, view),
    // The API's directories read the app's record again on their own schedule.
    changed: async () => {},
  });
  const running = createGateway({
    db: options.db, backend: kubernetesBackend(endpoints), waker: wakes, appDomain: options.appDomain, protocol: options.protocol,
    replica: options.replica, log: options.log,
    ...(options.holdMs ? { holdMs: options.holdMs } : {}), ...(options.waitMs ? { waitMs: options.waitMs } : {}), ...(options.flushMs ? { flushMs: options.flushMs } : {}),
  });
  return {
    ...running, endpoints, wakes,
    async close() {
      await running.close();
      endpoints.stop();
    },
  };
}
