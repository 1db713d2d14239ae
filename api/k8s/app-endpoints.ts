/**
 * Where each app can be reached right now, for the gateway: one watch on the apps namespace's
 * EndpointSlices (the ready, not terminating, addresses of each app's pods, straight from the
 * endpoints controller) and one on the apps' Deployments (whether the app exists and how many
 * replicas it wants). The gateway sends requests to a pod's address itself: no extra hop through the
 * Service's virtual IP, and it knows the moment a woken pod is ready.
 */
import { labelKeys, userAppWorkloadName } from '../../constructs/index.js';
import type { KubeClient } from './client.js';
import { Informer } from './informer.js';
import type { DeploymentJson, Meta } from './objects.js';

export interface EndpointSliceJson {
  metadata: Meta;
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean } }[] | null;
}

export interface AppAddress {
  readonly host: string;
  readonly port: number;
}

/** Services are named `app-<id>` (constructs/user-app.ts); their slices carry the Service's name. */
const serviceOf = /^app-([a-z0-9-]{1,40})$/;

export class AppEndpoints {
  private readonly slices: Informer<EndpointSliceJson>;
  private readonly deployments: Informer<DeploymentJson>;
  private readonly waiting = new Map<string, Set<() => void>>();
  private lastError: string | null = null;

  constructor(client: KubeClient, readonly namespace: string, log: (message: string) => void) {
    const onError = (message: string) => {
      this.lastError = message;
      log(message);
    };
    const notify = (appId: string | undefined) => {
      if (!appId) return;
      const listeners = this.waiting.get(appId);
      this.waiting.delete(appId);
      for (const listener of listeners ?? []) listener();
    };
    this.slices = new Informer<EndpointSliceJson>({
      client, onError, path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      onChange: (_type, slice) => notify(serviceOf.exec(slice.metadata.labels?.['kubernetes.io/service-name'] ?? '')?.[1]),
    });
    this.deployments = new Informer<DeploymentJson>({
      client, onError, path: `/apis/apps/v1/namespaces/${namespace}/deployments`, labelSelector: `${labelKeys.name}=user-app`,
      onChange: (_type, deployment) => notify(deployment.metadata.labels?.[labelKeys.appId]),
    });
  }

  async start(timeoutMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the apps namespace ${this.namespace} could not be watched within ${timeoutMs / 1000} s: ${this.lastError ?? 'no answer'}`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.slices.start(), this.deployments.start()]), timeout]);
    } catch (error) {
      this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  stop(): void {
    this.slices.stop();
    this.deployments.stop();
    for (const listeners of this.waiting.values()) for (const listener of listeners) listener();
    this.waiting.clear();
  }

  /** The ready addresses of the app's pods. */
  addresses(appId: string): AppAddress[] {
    const found: AppAddress[] = [];
    for (const slice of this.slices.list()) {
      if (slice.metadata.labels?.['kubernetes.io/service-name'] !== userAppWorkloadName(appId)) continue;
      const port = slice.ports?.find((p) => (p.protocol ?? 'TCP') === 'TCP')?.port;
      if (!port) continue;
      for (const endpoint of slice.endpoints ?? []) {
        if (endpoint.conditions?.ready === false || endpoint.conditions?.terminating) continue;
        for (const host of endpoint.addresses) found.push({ host, port });
      }
    }
    return found;
  }

  /** The app's Deployment: null when it has none; its wanted replicas otherwise. */
  deployment(appId: string): { replicas: number; available: boolean; failing: string | null } | null {
    const deployment = this.deployments.get(userAppWorkloadName(appId));
    if (!deployment) return null;
    const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
    return {
      replicas: deployment.spec?.replicas ?? 1,
      available: (deployment.status?.availableReplicas ?? 0) > 0,
      failing: progressing?.status === 'False' ? progressing.message ?? 'the rollout stopped progressing' : null,
    };
  }

  /** Resolves at the app's next change (an endpoint, its Deployment), or after `ms`. */
  changed(appId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const listeners = this.waiting.get(appId) ?? new Set<() => void>();
      const done = () => {
        clearTimeout(timer);
        listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      listeners.add(done);
      this.waiting.set(appId, listeners);
    });
  }
}
