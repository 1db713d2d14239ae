/**
 * The gateway beside a test's API on the real node, as the chart runs it but as a process of the test
 * (the chart test runs it as pods): it runs under the chart's gateway identity, listens on the node's
 * address, and the test's platform namespace gets the `gateway` Service apps' routes point at, with an
 * EndpointSlice naming that address (a Service without a selector, as for any endpoint outside pods).
 */
import type { Database } from '../../api/db/database.js';
import { gatewayServer } from '../../api/gateway/index.js';
import { connectKube } from '../../api/k8s/index.js';
import { startKubernetesGateway, type KubernetesGateway } from '../../api/kubernetes-gateway.js';
import { gatewayName } from '../../constructs/index.js';
import { kubeBed } from './bed.js';
import { adminApply } from './kubectl.js';
import { gatewayIdentity, type PlatformNamespaces } from './platform-identity.js';

export interface BedGatewayOptions {
  readonly db: Database;
  readonly namespaces: PlatformNamespaces;
  /** Where pods reach this process: the node's address. */
  readonly address: string;
  readonly appDomain: string;
  readonly replica: string;
  readonly holdMs?: number;
  readonly log: (message: string) => void;
}

export interface BedGateway {
  readonly running: KubernetesGateway;
  close(): Promise<void>;
}

export async function startBedGateway(options: BedGatewayOptions): Promise<BedGateway> {
  const bed = kubeBed();
  const token = await gatewayIdentity(options.namespaces);
  const client = connectKube({ kind: 'token', server: bed.server, token, caFile: bed.caFile });
  const running = await startKubernetesGateway({
    db: options.db, client, appsNamespace: options.namespaces.appsNamespace, appDomain: options.appDomain, protocol: 'http',
    replica: options.replica, log: options.log, ...(options.holdMs ? { holdMs: options.holdMs } : {}),
  });
  const server = gatewayServer({ gateway: running.gateway, appDomain: options.appDomain, ready: () => true });
  const { port } = await server.listen(0, options.address);
  const namespace = options.namespaces.platformNamespace;
  await adminApply([
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: gatewayName, namespace },
      spec: { ports: [{ name: 'http', port: 80, targetPort: port, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `${gatewayName}-node`, namespace, labels: { 'kubernetes.io/service-name': gatewayName } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [options.address], conditions: { ready: true } }],
      ports: [{ name: 'http', port, protocol: 'TCP' }],
    },
  ]);
  return {
    running,
    async close() {
      await server.close();
      await running.close();
    },
  };
}
