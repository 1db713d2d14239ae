/**
 * The gateway's view of the Kubernetes runtime: an app's ready pods, from the EndpointSlices the
 * endpoints controller keeps (api/k8s AppEndpoints), spread round-robin; waited for while the app
 * starts (a first deploy, a wake, a crash restart) up to the gateway's bound; and, after a pod failed
 * under a request, another ready pod.
 */
import type { AppAddress, AppEndpoints } from '../../k8s/index.js';
import type { AppBackend, Resolution, Upstream } from '../../gateway/index.js';

function upstreamOf(address: AppAddress): Upstream {
  return { target: { host: address.host, port: address.port }, begin: () => () => {}, gone: null };
}

export function kubernetesBackend(endpoints: AppEndpoints): AppBackend {
  const turns = new Map<string, number>();
  const pick = (appId: string, addresses: AppAddress[]): AppAddress => {
    const turn = (turns.get(appId) ?? 0) + 1;
    turns.set(appId, turn % 1_000_000);
    return addresses[turn % addresses.length] as AppAddress;
  };
  return {
    async resolve(appId, waitMs): Promise<Resolution> {
      const began = performance.now();
      const deadline = Date.now() + waitMs;
      for (;;) {
        const addresses = endpoints.addresses(appId);
        if (addresses.length > 0) return { kind: 'ready', upstream: upstreamOf(pick(appId, addresses)), waitedMs: performance.now() - began };
        const deployment = endpoints.deployment(appId);
        if (!deployment) return { kind: 'absent' };
        if (deployment.failing) return { kind: 'unavailable', message: `The app is not running: ${deployment.failing}` };
        const left = deadline - Date.now();
        if (left <= 0) {
          return deployment.replicas === 0
            ? { kind: 'unavailable', message: 'The app is asleep and was not woken.' }
            : { kind: 'starting', message: 'The app is starting; no pod of it is ready yet.' };
        }
        await endpoints.changed(appId, left);
      }
    },
    async replacement(appId, failed, waitMs) {
      const deadline = Date.now() + waitMs;
      const failedHost = 'host' in failed.target ? failed.target.host : '';
      for (;;) {
        const others = endpoints.addresses(appId).filter((a) => a.host !== failedHost);
        if (others.length > 0) return upstreamOf(pick(appId, others));
        const left = deadline - Date.now();
        if (left <= 0 || !endpoints.deployment(appId)) return null;
        await endpoints.changed(appId, left);
      }
    },
  };
}
