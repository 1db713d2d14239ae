/**
 * The gateway's own process on Kubernetes (the platform chart's `gateway` Deployment, the API's image
 * with this command): every app host's request passes here, is recorded, and wakes its app when it
 * sleeps. Stateless: any number of replicas share the work through the database.
 */
import { ConfigError } from './config.js';
import { connectDatabase } from './db/database.js';
import { gatewayServer, metricsServer } from './gateway/index.js';
import { loadGatewayConfig } from './gateway-config.js';
import { connectKube } from './k8s/index.js';
import { startKubernetesGateway } from './kubernetes-gateway.js';

const log = (message: string) => console.error(`[gateway] ${message}`);

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const db = await connectDatabase(config.mongoUri, config.mongoDb);
  const client = connectKube(config.kubeconfig
    ? { kind: 'kubeconfig', path: config.kubeconfig, ...(config.kubeContext ? { context: config.kubeContext } : {}) }
    : { kind: 'in-cluster' });
  const running = await startKubernetesGateway({
    db, client, appsNamespace: config.appsNamespace, appDomain: config.appDomain, protocol: config.protocol,
    replica: config.replica, holdMs: config.holdMs, log,
  });
  let stopping = false;
  const http = gatewayServer({ gateway: running.gateway, appDomain: config.appDomain, ready: () => !stopping });
  const address = await http.listen(config.port, config.host);
  const metrics = config.metricsPort > 0 ? metricsServer(running.traffic) : null;
  const metricsAddress = await metrics?.listen(config.metricsPort, config.host);
  log(`listening on ${address.address}:${address.port} for app-<id>.${config.appDomain}, apps in ${config.appsNamespace}, replica ${config.replica}`
    + (metricsAddress ? `; /metrics on ${metricsAddress.port}` : ''));

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('shutting down');
    // Traefik keeps sending here until the pod leaves the Service's endpoints: keep answering meanwhile.
    await new Promise((resolve) => setTimeout(resolve, config.drainMs));
    await Promise.all([http.close(), metrics?.close()]);
    await running.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  log(error instanceof ConfigError ? error.message : `failed to start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
