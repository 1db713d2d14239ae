/**
 * The platform's own manifests, built from the same constructs as user apps: both namespaces
 * (restricted Pod Security), the API's identity and least-privilege Role in the apps namespace, the
 * API and UI workloads (each with a PodDisruptionBudget), one IngressRoute for BASE_DOMAIN (/api to the API, the rest to the UI) and
 * NetworkPolicies fencing both. Secrets are referenced, never generated.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  HostRoute, PlatformApiAccess, PlatformService, PodNetworkPolicy, RestrictedNamespace, dnsEgress, gatewayName, gatewayRules, labelKeys,
  runnerPort, tenantDatabasePort,
} from '../constructs/index.js';
import type { PlatformConfig } from './config.js';
import type { RouteTls } from '../constructs/index.js';

function routeTls(tls: NonNullable<PlatformConfig['tls']>): RouteTls {
  return { ...(tls.secretName ? { secretName: tls.secretName } : {}), ...(tls.certResolver ? { certResolver: tls.certResolver } : {}) };
}

export const apiPort = 8080;
export const gatewayPort = 8080;
export const gatewayMetricsPort = 9090;
export const uiPort = 8080;
export const apiHealthPath = '/healthz';
/** The CPython 3.11 of the API image (api/Dockerfile) that runs the validator's workers. */
export const apiPython = '/usr/local/bin/python3.11';

export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id, { namespace: config.namespace, disableResourceNameHashes: true });

    const platformNamespace = new RestrictedNamespace(this, 'Namespace', { name: config.namespace });
    const appsNamespace = new RestrictedNamespace(this, 'AppsNamespace', {
      name: config.appsNamespace,
      labels: { [labelKeys.partOf]: 'fastapi-platform' },
    });
    const access = new PlatformApiAccess(this, 'ApiAccess', {
      platformNamespace: config.namespace,
      appsNamespace: config.appsNamespace,
    });
    access.node.addDependency(platformNamespace, appsNamespace);

    const api = new PlatformService(this, 'Api', {
      name: 'api',
      image: config.images.api,
      port: apiPort,
      healthPath: apiHealthPath,
      // Replicas take turns reconciling through a coordination.k8s.io Lease, so a rolling update (a new
      // pod ready before an old one stops) keeps the API serving throughout.
      replicas: config.api.replicas,
      resources: config.api.resources,
      serviceAccountName: access.serviceAccountName,
      env: {
        PORT: String(apiPort),
        PUBLIC_URL: `${config.tls ? 'https' : 'http'}://${config.baseDomain}`,
        // Behind the ingress controller: client addresses (sign-in rate limits) come from X-Forwarded-For.
        TRUST_PROXY: 'true',
        // On SIGTERM keep serving while the pod leaves the Service's endpoints (health says 503 meanwhile):
        // a rolling update then fails no request.
        DRAIN_SECONDS: '5',
        FP_PYTHON: apiPython,
        RUNTIME: 'kubernetes',
        APPS_NAMESPACE: config.appsNamespace,
        PLATFORM_NAMESPACE: config.namespace,
        INGRESS_NAMESPACE: config.ingress.namespace,
        INGRESS_URL: config.ingress.url,
        // Each tenant's apps reach only the tenant's own database server (TenantDatabase).
        DATABASE_PROVIDER: 'ferretdb',
        TENANT_DATABASE_IMAGE: config.images.ferretdb,
        TENANT_DATABASE_STORAGE: config.tenantDatabases.storage,
        ...(config.tenantDatabases.storageClassName ? { TENANT_DATABASE_STORAGE_CLASS: config.tenantDatabases.storageClassName } : {}),
        TENANT_DATABASE_SIZE_MB: String(config.tenantDatabases.sizeMebibytes),
        ...(config.blockedCidrs.length > 0 ? { BLOCKED_EGRESS_CIDRS: config.blockedCidrs.join(',') } : {}),
        BASE_DOMAIN: config.baseDomain,
        APP_DOMAIN: config.appDomain,
        RUNNER_IMAGE: config.images.runner,
        NODE_RUNNER_IMAGE: config.images.runnerNode,
        ...(config.tls?.secretName ? { APP_TLS_SECRET: config.tls.secretName } : {}),
        ...(config.tls?.certResolver ? { APP_TLS_CERT_RESOLVER: config.tls.certResolver } : {}),
      },
      secretEnv: {
        MONGO_URI: { secret: config.secretName, key: 'MONGO_URI' },
        SECRET_KEY: { secret: config.secretName, key: 'SECRET_KEY' },
      },
      // The replica's name in the reconciler Lease.
      fieldEnv: { POD_NAME: 'metadata.name' },
    });
    const gatewayAccess = new PlatformApiAccess(this, 'GatewayAccess', {
      name: 'platform-gateway',
      platformNamespace: config.namespace,
      appsNamespace: config.appsNamespace,
      identity: { component: gatewayName, rules: gatewayRules() },
    });
    gatewayAccess.node.addDependency(platformNamespace, appsNamespace);
    // The API's image with another command: apps' hosts route here (constructs/platform-gateway.ts).
    const gateway = new PlatformService(this, 'Gateway', {
      name: gatewayName,
      image: config.images.api,
      command: ['node', '/app/build/api/gateway-main.js'],
      port: gatewayPort,
      metricsPort: gatewayMetricsPort,
      healthPath: '/healthz',
      replicas: config.gateway.replicas,
      resources: config.gateway.resources,
      serviceAccountName: gatewayAccess.serviceAccountName,
      env: {
        PORT: String(gatewayPort),
        METRICS_PORT: String(gatewayMetricsPort),
        APP_DOMAIN: config.appDomain,
        APP_PROTOCOL: config.tls ? 'https' : 'http',
        APPS_NAMESPACE: config.appsNamespace,
      },
      secretEnv: { MONGO_URI: { secret: config.secretName, key: 'MONGO_URI' } },
    });
    const ui = new PlatformService(this, 'Ui', {
      name: 'ui',
      image: config.images.ui,
      port: uiPort,
      healthPath: '/',
      replicas: config.ui.replicas,
      resources: config.ui.resources,
    });
    for (const service of [api, gateway, ui]) service.node.addDependency(platformNamespace);

    new HostRoute(this, 'Route', {
      name: 'platform',
      host: config.baseDomain,
      backends: [
        { pathPrefix: '/api', serviceName: api.name },
        { serviceName: ui.name },
      ],
      ...(config.tls ? { tls: routeTls(config.tls) } : {}),
    }).node.addDependency(platformNamespace);

    const fromIngress = { peers: [{ namespace: config.ingress.namespace }] };
    new PodNetworkPolicy(this, 'ApiNetworkPolicy', {
      name: 'api',
      podLabels: api.podLabels,
      ingress: [{ ...fromIngress, ports: [{ port: apiPort }] }],
      egress: [
        dnsEgress,
        { peers: [{ namespace: config.database.namespace }], ports: [{ port: config.database.port }] },
        // Tenants' database servers: making their users, and the explorer.
        { peers: [{ namespace: config.appsNamespace, podLabels: { [labelKeys.name]: 'tenant-database' } }], ports: [{ port: tenantDatabasePort }] },
        // The test panel calls apps through the ingress controller, as their users do.
        { peers: [{ namespace: config.ingress.namespace }], ports: [{ port: config.ingress.port }] },
        // The Kubernetes API: its address is not known to a manifest, so allow the usual ports anywhere.
        { peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: 443 }, { port: 6443 }] },
      ],
    }).node.addDependency(platformNamespace);
    new PodNetworkPolicy(this, 'GatewayNetworkPolicy', {
      name: gatewayName,
      podLabels: gateway.podLabels,
      ingress: [
        { ...fromIngress, ports: [{ port: gatewayPort }] },
        // Prometheus text, for a scraper in the platform's namespace; never routed from outside.
        { peers: [{ namespace: config.namespace }], ports: [{ port: gatewayMetricsPort }] },
      ],
      egress: [
        dnsEgress,
        { peers: [{ namespace: config.database.namespace }], ports: [{ port: config.database.port }] },
        // Apps' pods, straight to their runner (their own policy admits only this gateway).
        { peers: [{ namespace: config.appsNamespace, podLabels: { [labelKeys.name]: 'user-app' } }], ports: [{ port: runnerPort }] },
        { peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: 443 }, { port: 6443 }] },
      ],
    }).node.addDependency(platformNamespace);
    new PodNetworkPolicy(this, 'UiNetworkPolicy', {
      name: 'ui',
      podLabels: ui.podLabels,
      ingress: [{ ...fromIngress, ports: [{ port: uiPort }] }],
      egress: [],
    }).node.addDependency(platformNamespace);
  }
}
