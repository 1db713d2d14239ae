/**
 * The platform's one connection to Kubernetes: a KubeConfig loaded once (from a kubeconfig file,
 * from the pod's service account, or from explicit server/token/CA) and the clients made from it.
 * Nothing outside api/k8s imports @kubernetes/client-node.
 */
import * as k8s from '@kubernetes/client-node';
import { ExactObjectApi } from './exact-object-api.js';

export type KubeSource =
  | { readonly kind: 'kubeconfig'; readonly path: string; readonly context?: string }
  | { readonly kind: 'in-cluster' }
  | { readonly kind: 'token'; readonly server: string; readonly token: string; readonly caFile: string };

export interface KubeClient {
  /** @internal for the other api/k8s modules */
  readonly config: k8s.KubeConfig;
  /** @internal */
  readonly objects: ExactObjectApi;
  readonly server: string;
}

export function connectKube(source: KubeSource): KubeClient {
  const config = new k8s.KubeConfig();
  switch (source.kind) {
    case 'kubeconfig':
      config.loadFromFile(source.path);
      if (source.context) config.setCurrentContext(source.context);
      break;
    case 'in-cluster':
      config.loadFromCluster();
      break;
    case 'token':
      config.loadFromClusterAndUser(
        { name: 'cluster', server: source.server, caFile: source.caFile, skipTLSVerify: false },
        { name: 'platform', token: source.token },
      );
      break;
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`the Kubernetes configuration (${source.kind}) names no cluster`);
  return { config, objects: config.makeApiClient(ExactObjectApi), server: cluster.server };
}
