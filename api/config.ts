/**
 * The API's configuration, from the environment, validated once at boot: a bad value stops the
 * process with a message naming the variable. SECRET_KEY is required outside development and there
 * is never a random per-process default (sessions, CSRF tokens and encrypted env vars would not
 * survive a restart). Boot warns when apps would be same-site with the platform.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const dnsName = z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lower-case DNS name');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// URI'),
  /** Database of the platform itself; the URI's path when it has one. */
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).optional(),
  SECRET_KEY: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  /** Where people reach the platform (origin of the UI), e.g. https://platform.example.com. */
  PUBLIC_URL: z.string().url().default('http://localhost:8080'),
  BASE_DOMAIN: dnsName.default('localhost'),
  APP_DOMAIN: dnsName.default('localhost'),
  /** Extra origins allowed to call the API with credentials (CORS); none by default. */
  CORS_ORIGINS: list.default([]),
  RUNTIME: z.enum(['local', 'kubernetes', 'none']).default('local'),
  /** The local gateway's Prometheus text at /metrics on its own port (0: off; on Kubernetes the gateway's pods serve it). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Access token lifetime in seconds. */
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(3600).default(600),
  /** Session (refresh) lifetime in days. */
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** CPython 3.11 for the validator (the runner's version); pyodide otherwise. The local runtime runs apps with it. */
  FP_PYTHON: z.string().optional(),
  /** The local runtime's files: versions' code, scratch directories, running processes. */
  DATA_DIR: z.string().default('.data'),
  /** The Kubernetes runtime: a kubeconfig file (and context); in-cluster credentials when unset. */
  KUBECONFIG: z.string().optional(),
  KUBE_CONTEXT: z.string().optional(),
  /** Where user apps live, and the namespaces their NetworkPolicies admit. */
  APPS_NAMESPACE: dnsName.default('fastapi-apps'),
  PLATFORM_NAMESPACE: dnsName.default('fastapi-platform'),
  INGRESS_NAMESPACE: dnsName.default('traefik'),
  RUNNER_IMAGE: z.string().regex(/^\S+$/, 'an image reference').default('fastapi-platform/runner:0.1.0'),
  NODE_RUNNER_IMAGE: z.string().regex(/^\S+$/, 'an image reference').default('fastapi-platform/runner-node:0.1.0'),
  /** Where the test panel reaches apps (the ingress controller); the app's public URL when unset. */
  INGRESS_URL: z.string().url().optional(),
  /** Where apps' databases are, for their NetworkPolicy: a namespace, or an address range, and a port. */
  APPS_DATABASE_NAMESPACE: dnsName.default('mongodb'),
  APPS_DATABASE_CIDR: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 range such as 10.1.2.3/32').optional(),
  APPS_DATABASE_PORT: z.coerce.number().int().min(1).max(65535).default(27017),
  /** Address ranges apps may never reach, added to the private ranges and the apiserver's own address. */
  BLOCKED_EGRESS_CIDRS: list.pipe(z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'IPv4 ranges such as 203.0.113.0/24'))).default([]),
  /** Seconds an app may take to answer its health probe, and a rollout to make progress (Kubernetes). */
  APP_STARTUP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  APP_PROGRESS_DEADLINE_SECONDS: z.coerce.number().int().min(1).default(300),
  /** TLS for apps' routes (the chart passes these when the platform has TLS). */
  APP_TLS_SECRET: z.string().optional(),
  APP_TLS_CERT_RESOLVER: z.string().optional(),
  /** How often desired and actual state are reconciled (Kubernetes runtime). */
  RECONCILE_SECONDS: z.coerce.number().int().min(10).default(300),
  /**
   * Kubernetes runtime: one API replica at a time reconciles, sweeps and puts apps to sleep, holding a
   * coordination.k8s.io Lease in PLATFORM_NAMESPACE; another takes over this many seconds after it
   * stops renewing (at once after a graceful stop, which releases it).
   */
  LEASE_SECONDS: z.coerce.number().int().min(2).max(300).default(15),
  /** This replica's name in the Lease (the chart passes the pod's name); the host name and a random suffix when unset. */
  POD_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/, 'a pod name').optional(),
  /**
   * Where users' databases live: `ferretdb` (the default: one FerretDB per tenant, locally in the
   * tenant's sandbox), `mongodb` (the operator's MongoDB ≥ 4.4, DATABASES_MONGO_URI), or `none`.
   */
  DATABASE_PROVIDER: z.enum(['ferretdb', 'mongodb', 'none']).default('ferretdb'),
  /** The `mongodb` provider: credentials with userAdmin and readWrite on tenant databases (never cluster admin). */
  DATABASES_MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// URI').optional(),
  /** The `ferretdb` provider on the local runtime: FerretDB's binary (`npm start` sets it). */
  FERRETDB_BINARY: z.string().min(1).optional(),
  /** The `ferretdb` provider on Kubernetes: each tenant's server's image (FerretDB 1.24), storage and start time. */
  TENANT_DATABASE_IMAGE: z.string().regex(/^\S+$/, 'an image reference').default('ghcr.io/ferretdb/ferretdb:1.24.2'),
  /** `volume` (a PersistentVolumeClaim) or `ephemeral` (an emptyDir: the data goes with the pod; test beds only). */
  TENANT_DATABASE_STORAGE: z.enum(['volume', 'ephemeral']).default('volume'),
  /** The claim's StorageClass; the cluster's default when unset. */
  TENANT_DATABASE_STORAGE_CLASS: dnsName.optional(),
  TENANT_DATABASE_SIZE_MB: z.coerce.number().int().min(16).max(1_048_576).default(1024),
  TENANT_DATABASE_START_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The database explorer's time limit per query (maxTimeMS). */
  EXPLORER_QUERY_MS: z.coerce.number().int().min(10).max(60_000).default(5000),
  /** How long a tenant's database server runs with nothing using it (local runtime). */
  DATABASE_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** The local runtime's sandbox: the bubblewrap executable. */
  SANDBOX_BWRAP: z.string().min(1).default('bwrap'),
  /** The local runtime's sandbox: run apps UNSANDBOXED (never do this on a shared machine). */
  UNSAFE_NO_SANDBOX: bool.default(false),
  /** As root: a host UID per tenant (default), or one shared non-root UID for every sandbox. */
  SANDBOX_UIDS: z.enum(['per-tenant', 'shared']).default('per-tenant'),
  /** The shared sandbox UID; tenants' own UIDs follow it. */
  SANDBOX_UID_BASE: z.coerce.number().int().min(1000).max(2 ** 31 - 100_000).default(200_000),
  /** Each local app's limits: memory, tasks (processes and threads), CPUs, and its /tmp. */
  APP_MEMORY_MB: z.coerce.number().int().min(32).max(65_536).default(256),
  APP_MAX_TASKS: z.coerce.number().int().min(16).max(65_536).default(256),
  APP_CPUS: z.coerce.number().min(0.05).max(64).default(1),
  APP_TMP_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  /** How often idle apps are looked for (and put to sleep). */
  SLEEP_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * On SIGTERM, keep serving this long (health answering 503 \"stopping\") before closing, so the
   * ingress stops sending here first: the chart sets 5; `npm start` stops at once.
   */
  DRAIN_SECONDS: z.coerce.number().int().min(0).max(60).default(0),
  /** A request (headers and body) must arrive within this many seconds. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Behind a proxy (the platform's ingress), trust X-Forwarded-For for rate limits. */
  TRUST_PROXY: bool.default(false),
  /** Sign-in attempts per client address per minute. */
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
});

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly mongoUri: string;
  readonly mongoDb: string;
  readonly secretKey: string;
  readonly publicUrl: string;
  readonly publicOrigin: string;
  readonly baseDomain: string;
  readonly appDomain: string;
  readonly corsOrigins: readonly string[];
  readonly runtime: 'local' | 'kubernetes' | 'none';
  readonly metricsPort: number;
  readonly accessTokenTtlSeconds: number;
  readonly sessionTtlDays: number;
  readonly python: string | undefined;
  readonly dataDir: string;
  readonly databases: {
    readonly provider: 'ferretdb' | 'mongodb' | 'none';
    readonly mongoUri: string | undefined;
    readonly ferretdb: string | undefined;
    readonly idleMs: number;
    readonly queryMs: number;
    /** The `ferretdb` provider on Kubernetes: one TenantDatabase per tenant. */
    readonly kube: {
      readonly image: string;
      readonly storage: { readonly kind: 'volume'; readonly storageClassName?: string; readonly sizeMebibytes: number } | { readonly kind: 'ephemeral'; readonly sizeMebibytes: number };
      readonly startMs: number;
    };
  };
  readonly sandbox: {
    readonly bwrap: string;
    readonly unsafeNoSandbox: boolean;
    readonly uids: 'per-tenant' | 'shared';
    readonly uidBase: number;
    readonly limits: { readonly memoryBytes: number; readonly pids: number; readonly cpus: number; readonly tmpBytes: number };
  };
  readonly kube: {
    readonly kubeconfig: string | undefined;
    readonly context: string | undefined;
    readonly appsNamespace: string;
    readonly platformNamespace: string;
    readonly ingressNamespace: string;
    readonly runnerImage: string;
    /** TypeScript apps' runner image (runner-node/). */
    readonly nodeRunnerImage: string;
    readonly tls: { readonly secretName?: string; readonly certResolver?: string } | undefined;
    readonly ingressUrl: string | undefined;
    readonly database: { readonly namespace: string; readonly port: number } | { readonly cidr: string; readonly port: number };
    readonly blockedCidrs: readonly string[];
    readonly startupSeconds: number;
    readonly progressDeadlineSeconds: number;
    /** Who reconciles: the Lease's duration and this replica's identity in it. */
    readonly lease: { readonly seconds: number; readonly identity: string };
  };
  readonly reconcileSeconds: number;
  readonly drainMs: number;
  readonly requestTimeoutMs: number;
  readonly sleepSweepSeconds: number;
  readonly trustProxy: boolean;
  readonly loginRatePerMinute: number;
  /** `Secure` + `__Host-` cookies: over HTTPS, and on localhost, which browsers treat as a secure context. */
  readonly secureCookies: boolean;
}

export class ConfigError extends Error {}

/** The last two labels, a rough registrable domain (enough to warn, not to decide). */
export function registrableDomain(host: string): string {
  return host.split('.').slice(-2).join('.');
}

/** A fixed development key, loudly not a secret: only ever used when NODE_ENV is development. */
const developmentKey = 'development-only-key-never-use-in-production-0000';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = console.warn): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`invalid configuration:\n${problems}`);
  }
  const c = parsed.data;
  if (!c.SECRET_KEY && c.NODE_ENV !== 'development') {
    throw new ConfigError(`SECRET_KEY is required when NODE_ENV is ${c.NODE_ENV}; generate one with \`openssl rand -hex 32\``);
  }
  if (!c.SECRET_KEY) warn('SECRET_KEY is not set: using the fixed development key. Never run like this in production.');
  if (c.DATABASE_PROVIDER === 'mongodb' && !c.DATABASES_MONGO_URI) throw new ConfigError('DATABASE_PROVIDER=mongodb needs DATABASES_MONGO_URI (credentials with userAdmin and readWrite on tenant databases)');
  const domain = (host: string) => registrableDomain(host);
  if (c.APP_DOMAIN !== 'localhost' && domain(c.APP_DOMAIN) === domain(c.BASE_DOMAIN)) {
    warn(`APP_DOMAIN (${c.APP_DOMAIN}) and BASE_DOMAIN (${c.BASE_DOMAIN}) share the registrable domain ${domain(c.APP_DOMAIN)}: `
      + 'user apps would be same-site with the platform. Serve apps from a separate domain.');
  }
  const uriDb = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(c.MONGO_URI)?.[1];
  const url = new URL(c.PUBLIC_URL);
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    mongoUri: c.MONGO_URI,
    mongoDb: c.MONGO_DB ?? uriDb ?? 'fastapi_platform',
    metricsPort: c.METRICS_PORT,
    secretKey: c.SECRET_KEY ?? developmentKey,
    publicUrl: c.PUBLIC_URL.replace(/\/$/, ''),
    publicOrigin: url.origin,
    baseDomain: c.BASE_DOMAIN,
    appDomain: c.APP_DOMAIN,
    corsOrigins: c.CORS_ORIGINS,
    runtime: c.RUNTIME,
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL,
    sessionTtlDays: c.SESSION_TTL_DAYS,
    python: c.FP_PYTHON,
    dataDir: resolve(c.DATA_DIR),
    databases: {
      provider: c.DATABASE_PROVIDER, mongoUri: c.DATABASES_MONGO_URI, ferretdb: c.FERRETDB_BINARY, idleMs: c.DATABASE_IDLE_SECONDS * 1000, queryMs: c.EXPLORER_QUERY_MS,
      kube: {
        image: c.TENANT_DATABASE_IMAGE,
        storage: c.TENANT_DATABASE_STORAGE === 'ephemeral'
          ? { kind: 'ephemeral', sizeMebibytes: c.TENANT_DATABASE_SIZE_MB }
          : { kind: 'volume', sizeMebibytes: c.TENANT_DATABASE_SIZE_MB, ...(c.TENANT_DATABASE_STORAGE_CLASS ? { storageClassName: c.TENANT_DATABASE_STORAGE_CLASS } : {}) },
        startMs: c.TENANT_DATABASE_START_SECONDS * 1000,
      },
    },
    sandbox: {
      bwrap: c.SANDBOX_BWRAP,
      unsafeNoSandbox: c.UNSAFE_NO_SANDBOX,
      uids: c.SANDBOX_UIDS,
      uidBase: c.SANDBOX_UID_BASE,
      limits: { memoryBytes: c.APP_MEMORY_MB * 2 ** 20, pids: c.APP_MAX_TASKS, cpus: c.APP_CPUS, tmpBytes: c.APP_TMP_MB * 2 ** 20 },
    },
    kube: {
      kubeconfig: c.KUBECONFIG,
      context: c.KUBE_CONTEXT,
      appsNamespace: c.APPS_NAMESPACE,
      platformNamespace: c.PLATFORM_NAMESPACE,
      ingressNamespace: c.INGRESS_NAMESPACE,
      runnerImage: c.RUNNER_IMAGE,
      nodeRunnerImage: c.NODE_RUNNER_IMAGE,
      tls: c.APP_TLS_SECRET || c.APP_TLS_CERT_RESOLVER
        ? { ...(c.APP_TLS_SECRET ? { secretName: c.APP_TLS_SECRET } : {}), ...(c.APP_TLS_CERT_RESOLVER ? { certResolver: c.APP_TLS_CERT_RESOLVER } : {}) }
        : undefined,
      ingressUrl: c.INGRESS_URL,
      database: c.APPS_DATABASE_CIDR ? { cidr: c.APPS_DATABASE_CIDR, port: c.APPS_DATABASE_PORT } : { namespace: c.APPS_DATABASE_NAMESPACE, port: c.APPS_DATABASE_PORT },
      blockedCidrs: c.BLOCKED_EGRESS_CIDRS,
      startupSeconds: c.APP_STARTUP_SECONDS,
      progressDeadlineSeconds: c.APP_PROGRESS_DEADLINE_SECONDS,
      lease: { seconds: c.LEASE_SECONDS, identity: c.POD_NAME ?? `${hostname()}-${randomBytes(4).toString('hex')}` },
    },
    reconcileSeconds: c.RECONCILE_SECONDS,
    drainMs: c.DRAIN_SECONDS * 1000,
    requestTimeoutMs: c.REQUEST_TIMEOUT_SECONDS * 1000,
    sleepSweepSeconds: c.SLEEP_SWEEP_SECONDS,
    trustProxy: c.TRUST_PROXY,
    loginRatePerMinute: c.LOGIN_RATE_PER_MINUTE,
    secureCookies: url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost'),
  };
}
