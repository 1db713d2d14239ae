/**
 * The node's own processes, each configured as in a real cluster (REAL-NODE.md): the kubelet (cgroupfs,
 * containerd's socket, webhook authentication and authorization, a CA-signed serving certificate with
 * the node's address, no eviction and no image garbage collection: images that were imported cannot be
 * pulled again), kube-proxy in iptables mode, and kube-router's NetworkPolicy firewall on the host.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../../scripts/lib/ports.js';
import { ServerProcess } from '../../../scripts/lib/server-process.js';
import type { Pki } from '../certs.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { nodeHost } from './host.js';

export interface NodeNetwork {
  readonly nodeName: string;
  readonly address: string;
  readonly podCidr: string;
  readonly clusterCidr: string;
  readonly serviceCidr: string;
  readonly dnsIp: string;
}

export interface ComponentContext {
  readonly kubeBin: string;
  readonly server: string;
  readonly pki: Pki;
  readonly logDir: string;
  readonly network: NodeNetwork;
  readonly tokens: Readonly<Record<string, string>>;
}

const configDir = join(nodeHost.stateDir, 'config');

export async function startKubelet(context: ComponentContext, containerdSocket: string): Promise<ServerProcess> {
  const { network, pki } = context;
  // The Node authorizer and NodeRestriction know a kubelet by its certificate: system:node:<name>.
  const client = await pki.issue('kubelet-client', { cn: `system:node:${network.nodeName}`, org: 'system:nodes' });
  const serving = await pki.issue('kubelet-serving', { cn: network.nodeName, sans: [`IP:${network.address}`, `DNS:${network.nodeName}`] });
  const kubeconfig = join(configDir, 'kubelet.kubeconfig');
  await writeFile(kubeconfig, stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'bed', cluster: { server: context.server, 'certificate-authority': pki.ca.cert } }],
    users: [{ name: 'kubelet', user: { 'client-certificate': client.cert, 'client-key': client.key } }],
    contexts: [{ name: 'kubelet', context: { cluster: 'bed', user: 'kubelet' } }],
    'current-context': 'kubelet',
  }), { mode: 0o600 });
  const config = join(configDir, 'kubelet.yaml');
  await writeFile(config, stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration',
    address: network.address, port: 10250, readOnlyPort: 0, healthzBindAddress: '127.0.0.1', healthzPort: await freePort(),
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: pki.ca.cert } },
    authorization: { mode: 'Webhook' },
    tlsCertFile: serving.cert, tlsPrivateKeyFile: serving.key,
    // containerd 1.6 cannot report its cgroup driver; cgroup v1 is in maintenance mode but works.
    cgroupDriver: 'cgroupfs', failSwapOn: false, failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${containerdSocket}`,
    clusterDNS: [network.dnsIp], clusterDomain: 'cluster.local', podCIDR: network.podCidr,
    // Imported images cannot be pulled again: never collect them; a test bed evicts nothing.
    imageGCHighThresholdPercent: 100, imageGCLowThresholdPercent: 99, evictionHard: {}, enforceNodeAllocatable: [],
    podLogsDir: join(nodeHost.stateDir, 'pod-logs'),
    serializeImagePulls: false, maxPods: 110, rotateCertificates: false, serverTLSBootstrap: false,
    shutdownGracePeriod: '0s', syncFrequency: '10s', fileCheckFrequency: '20s',
  }));
  return new ServerProcess({
    name: 'kubelet',
    command: join(context.kubeBin, 'kubelet'),
    logFile: join(context.logDir, 'kubelet.log'),
    args: [
      `--config=${config}`, `--kubeconfig=${kubeconfig}`, `--root-dir=${join(nodeHost.stateDir, 'kubelet')}`,
      `--node-ip=${network.address}`, `--hostname-override=${network.nodeName}`, '--v=1',
    ],
  });
}

export async function startKubeProxy(context: ComponentContext): Promise<ServerProcess> {
  const kubeconfig = await writeKubeconfig(join(configDir, 'kube-proxy.kubeconfig'), {
    server: context.server, caFile: context.pki.ca.cert, user: 'system:kube-proxy', token: context.tokens['kube-proxy'] ?? '',
  });
  const config = join(configDir, 'kube-proxy.yaml');
  await writeFile(config, stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig }, mode: 'iptables', clusterCIDR: context.network.clusterCidr,
    hostnameOverride: context.network.nodeName, bindAddress: context.network.address,
    healthzBindAddress: `127.0.0.1:${await freePort()}`, metricsBindAddress: `127.0.0.1:${await freePort()}`,
    // Leave the host's conntrack table size alone.
    conntrack: { maxPerCore: 0, min: 0 },
    iptables: { syncPeriod: '10s', minSyncPeriod: '0s' },
  }));
  return new ServerProcess({
    name: 'kube-proxy',
    command: join(context.kubeBin, 'kube-proxy'),
    logFile: join(context.logDir, 'kube-proxy.log'),
    args: [`--config=${config}`, '--v=1'],
  });
}

/** kube-router as NetworkPolicy enforcement only (no routing, no service proxy, no CNI). Start it once the Node exists. */
export async function startKubeRouter(context: ComponentContext, binary: string): Promise<ServerProcess> {
  const kubeconfig = await writeKubeconfig(join(configDir, 'kube-router.kubeconfig'), {
    server: context.server, caFile: context.pki.ca.cert, user: 'system:kube-router', token: context.tokens['kube-router'] ?? '',
  });
  return new ServerProcess({
    name: 'kube-router',
    command: binary,
    logFile: join(context.logDir, 'kube-router.log'),
    args: [
      `--kubeconfig=${kubeconfig}`, '--run-router=false', '--run-service-proxy=false', '--run-firewall=true', '--enable-cni=false',
      `--hostname-override=${context.network.nodeName}`, `--service-cluster-ip-range=${context.network.serviceCidr}`,
      '--metrics-port=0', `--health-port=${await freePort()}`, '--iptables-sync-period=10s',
    ],
  });
}

export { configDir as componentConfigDir };
