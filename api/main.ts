/**
 * The API's only I/O entry point: read the configuration, connect to MongoDB, start the validator's
 * CPython workers and the runtime, seed templates, bring deployed apps back (local runtime), serve
 * HTTP (API, UI, apps' proxy) and the log WebSocket, and shut down gracefully on SIGTERM/SIGINT.
 */
import { platformGateway, platformLabels, reconcilerLeaseName, tenantDatabasePort } from '../constructs/index.js';
import { loadTemplates } from '../templates/index.js';
import { createNodeValidator } from '../validation/node.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase, type Database } from './db/database.js';
import { kubernetesFerretDbProvider, localFerretDbProvider, mongodbProvider, type DatabaseProvider } from './databases/index.js';
import { createGateway, metricsServer } from './gateway/index.js';
import { connectKube, LeaseElection, type KubeClient } from './k8s/index.js';
import { createKubernetesRuntime } from './runtime/kubernetes/runtime.js';
import { withDriftEvents } from './runtime/drift.js';
import { createLocalRuntime, type LocalRuntime } from './runtime/local/runtime.js';
import { noRuntime } from './runtime/none.js';
import type { Runtime } from './runtime/types.js';
import { createPlatformServer } from './server.js';
import { createServices, type Services } from './services/index.js';
import { prepare, repeat, scheduleSweeps, whileLeading } from './services/maintenance.js';
import { deriveKeys } from './services/secrets.js';
import { tenantHasAwakeApp } from './services/wakes.js';
import type { ReconcileOptions } from './services/deploys.js';
import { availableParallelism } from 'node:os';

const log = (message: string) => console.error(`[api] ${message}`);

async function createRuntime(config: Config, client: KubeClient | null): Promise<Runtime | LocalRuntime> {
  if (config.runtime === 'none') return noRuntime({ appDomain: config.appDomain });
  if (config.runtime === 'kubernetes' && client) {
    const { kube } = config;
    log(`kubernetes runtime: ${client.server}, apps in ${kube.appsNamespace}`);
    // With the `ferretdb` provider every tenant has a server of its own beside its apps, and apps reach
    // only theirs; otherwise they reach the operator's MongoDB.
    const tenantDatabases = config.databases.provider === 'ferretdb';
    return createKubernetesRuntime({
      client, ingressUrl: kube.ingressUrl, log: (m) => log(`kubernetes runtime: ${m}`),
      target: {
        namespace: kube.appsNamespace, image: kube.runnerImage, nodeImage: kube.nodeRunnerImage, appDomain: config.appDomain, tls: kube.tls,
        network: {
          ingressNamespace: kube.ingressNamespace, platformNamespace: kube.platformNamespace, blockedCidrs: kube.blockedCidrs,
          ...(tenantDatabases ? { database: 'none' as const, tenantDatabase: { port: tenantDatabasePort } } : { database: kube.database }),
        },
        failureWindows: { startupSeconds: kube.startupSeconds, progressDeadlineSeconds: kube.progressDeadlineSeconds },
        // The platform chart runs the gateway (api/gateway-main.ts) in the platform's namespace.
        gateway: platformGateway(kube.platformNamespace),
      },
    });
  }
  if (!config.python) throw new ConfigError('RUNTIME=local runs apps with the runner venv\'s Python: set FP_PYTHON (`npm start` does)');
  return createLocalRuntime({
    python: config.python, dataDir: config.dataDir, appDomain: config.appDomain, publicUrl: config.publicUrl,
    sandbox: config.sandbox, ferretdb: config.databases.ferretdb, databaseIdleMs: config.databases.idleMs,
    log: (m) => log(`local runtime: ${m}`),
  });
}

/** Where users' databases live (ARCHITECTURE.md: Databases per tenant). */
function createDatabaseProvider(config: Config, runtime: Runtime | LocalRuntime, client: KubeClient | null, db: Database, leadership: LeaseElection | null): DatabaseProvider | null {
  const { databases } = config;
  if (databases.provider === 'none') return null;
  if (databases.provider === 'mongodb') return mongodbProvider(databases.mongoUri ?? '');
  if ('tenantDatabases' in runtime && runtime.tenantDatabases) return localFerretDbProvider(runtime.tenantDatabases);
  if (runtime.kind === 'kubernetes' && client) {
    return kubernetesFerretDbProvider({
      client, namespace: config.kube.appsNamespace, image: databases.kube.image, storage: databases.kube.storage, startMs: databases.kube.startMs,
      platform: { namespace: config.kube.platformNamespace, podLabels: platformLabels('api') },
      adminKey: deriveKeys(config.secretKey).tenantDatabases, log: (m) => log(`databases: ${m}`),
      idleMs: databases.idleMs, appsAwake: (ownerId) => tenantHasAwakeApp(db, ownerId), sweeps: () => leadership?.isLeader() ?? true,
    });
  }
  log(runtime.kind === 'local'
    ? 'databases: FERRETDB_BINARY is not set, so tenants get no databases (npm start sets it)'
    : `databases: the ferretdb provider needs a runtime (RUNTIME=${runtime.kind}); set DATABASE_PROVIDER=mongodb with DATABASES_MONGO_URI`);
  return null;
}

async function reconcile(services: Services, say: (message: string) => void, options: ReconcileOptions = {}): Promise<void> {
  const { ensured, removed, problems } = await services.deploys.reconcile(options);
  if (ensured > 0 || removed.length > 0) say(`reconciled: ${ensured} app${ensured === 1 ? '' : 's'} ensured, ${removed.length} removed`);
  for (const problem of problems) say(`reconcile: ${problem}`);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, log);
  const db = await connectDatabase(config.mongoUri, config.mongoDb);
  const validator = await createNodeValidator(config.python ? { python: config.python } : {});
  log(`validator: ${validator.engine.name}, CPython ${validator.engine.pythonVersion}; TypeScript: ${validator.scripts?.version ?? 'none'}`);
  // The TypeScript engine loads its parser in the background, so the first TypeScript check is quick.
  void validator.scripts?.warm();
  const { kube } = config;
  const client = config.runtime === 'kubernetes'
    ? connectKube(kube.kubeconfig ? { kind: 'kubeconfig', path: kube.kubeconfig, ...(kube.context ? { context: kube.context } : {}) } : { kind: 'in-cluster' })
    : null;
  const runtime = withDriftEvents(await createRuntime(config, client));
  // On Kubernetes only the replica holding the Lease reconciles, sweeps and puts apps and tenants'
  // database servers to sleep (a replica that takes over runs a reconcile pass at once).
  const leadership = runtime.kind === 'kubernetes' && client ? new LeaseElection(client, {
    namespace: kube.platformNamespace, name: reconcilerLeaseName, identity: kube.lease.identity, durationSeconds: kube.lease.seconds, log,
  }) : null;
  const databases = createDatabaseProvider(config, runtime, client, db, leadership);
  log(`databases: ${databases ? `${databases.kind} provider` : 'none'}`);
  const services = createServices({ db, config, runtime, validator, databases, log });
  const seeded = await prepare(services, await loadTemplates());
  log(`templates: ${seeded.inserted} added, ${seeded.updated} updated, ${seeded.kept} kept`);
  // The local runtime's gateway runs here; on Kubernetes it is its own Deployment (api/gateway-main.ts).
  const local = runtime.kind === 'local' && 'backend' in runtime ? runtime : null;
  const gateway = local ? createGateway({
    db, backend: local.backend, waker: services.wakes, appDomain: config.appDomain, protocol: config.publicUrl.startsWith('https:') ? 'https' : 'http',
    replica: 'local', log: (m) => log(`gateway: ${m}`),
  }) : null;
  if (local && gateway) local.useGateway(gateway.gateway);
  const app = createApp({ config, services, log });
  const platform = createPlatformServer({ app, services, config, log, gateway: gateway?.gateway });
  const address = await platform.listen(config.port, config.host);
  log(`listening on ${address.address}:${address.port} (${config.publicUrl}), runtime ${runtime.kind}`);
  const metrics = gateway && config.metricsPort > 0 ? metricsServer(gateway.traffic) : null;
  if (metrics) log(`gateway metrics on ${(await metrics.listen(config.metricsPort, '127.0.0.1')).port}/metrics`);
  if (process.send) process.send({ ready: true, port: address.port });
  // Desired and actual state converge while the API already serves (health says `starting` until the
  // first pass ends): the local runtime starts deployed apps again, as many at a time as there are
  // cores, each once the one before it answers; the Kubernetes runtime finishes whatever a crash left
  // half-applied and removes objects of apps that are gone. Without a runtime there is nothing to
  // converge. Only the leader does this, and the sweeps, on Kubernetes.
  const duties = () => {
    const stops = [scheduleSweeps(services, 10 * 60_000, log)];
    if (runtime.kind !== 'none') stops.push(repeat('sleep', async () => { await services.sleep.sweep(); }, config.sleepSweepSeconds * 1000, log));
    let stopped = false;
    const pass = async () => {
      if (runtime.kind === 'none') return;
      const booting = services.boot.view().status === 'starting';
      await reconcile(services, log, {
        concurrency: runtime.kind === 'local' ? availableParallelism() : 4, settle: runtime.kind === 'local',
        ...(booting ? { onTotal: (total: number) => services.boot.reconciling(total), onDone: () => services.boot.reconciled() } : {}),
      });
    };
    pass().catch((error: unknown) => log(`reconcile failed: ${String(error)}`)).finally(() => {
      services.boot.ready();
      if (!stopped && runtime.kind === 'kubernetes') stops.push(repeat('reconcile', () => reconcile(services, log), config.reconcileSeconds * 1000, log));
    });
    return () => {
      stopped = true;
      for (const stop of stops) stop();
    };
  };
  const stopDuties = whileLeading(leadership, duties);
  if (leadership) {
    await leadership.start();
    // A follower has nothing to converge: it serves at once.
    if (!leadership.isLeader()) services.boot.ready();
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('shutting down');
    stopDuties();
    await leadership?.stop();
    if (config.drainMs > 0) {
      services.boot.stopping();
      await new Promise((resolve) => setTimeout(resolve, config.drainMs));
    }
    await platform.close();
    await metrics?.close();
    await gateway?.close();
    services.deploys.close();
    services.accounts.revocations.stop();
    await services.explorer.close();
    await databases?.close();
    await runtime.close();
    await validator.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Started by `npm start`'s launcher: when it is gone, so is this platform (nothing is orphaned).
  process.on('disconnect', () => void stop());
}

main().catch((error: unknown) => {
  log(error instanceof ConfigError ? error.message : `failed to start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
