/**
 * The platform chart's typed configuration: domains, images, resources and namespaces. Defaults
 * suit a local k3d cluster; an operator overrides them with a JSON or YAML file named by
 * PLATFORM_CONFIG. Validated with zod, so a typo fails `cdk8s synth` with the path of the bad value.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lower-case DNS label');
const dnsName = z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lower-case DNS name');
const image = z.string().regex(/^\S+$/, 'an image reference');
const pair = z.object({ request: z.number().positive(), limit: z.number().positive() })
  .refine((p) => p.request <= p.limit, 'the request must not exceed the limit');
const resources = z.object({ cpuMillis: pair, memoryMebibytes: pair });

export const platformConfigSchema = z.object({
  /** Namespace of the API and UI. */
  namespace: dnsLabel.default('fastapi-platform'),
  /** Namespace holding every user app (restricted Pod Security). */
  appsNamespace: dnsLabel.default('fastapi-apps'),
  /** Where people reach the platform: the UI at `/`, the API at `/api`. */
  baseDomain: dnsName.default('platform.127.0.0.1.nip.io'),
  /** Apps answer at `app-<id>.<appDomain>`; keep it on another registrable domain than baseDomain. */
  appDomain: dnsName.default('apps.127.0.0.1.nip.io'),
  /** TLS for both domains' routes; absent means plain HTTP on Traefik's `web` entry point. */
  tls: z.object({ secretName: z.string().optional(), certResolver: z.string().optional() }).strict().optional(),
  ingress: z.object({
    namespace: dnsLabel.default('traefik'),
    /** Where the API's test panel reaches apps: the ingress controller's Service, in-cluster. */
    url: z.string().url().default('http://traefik.traefik.svc'),
    /** The ingress controller's pods' port (what the API's NetworkPolicy lets it reach). */
    port: z.number().int().positive().default(8000),
  }).strict().default({ namespace: 'traefik', url: 'http://traefik.traefik.svc', port: 8000 }),
  /** Address ranges apps may never reach, besides the private ranges (e.g. a public apiserver or node addresses). */
  blockedCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 range such as 203.0.113.0/24')).default([]),
  /** The MongoDB server the API reaches for its own state (for its NetworkPolicy). */
  database: z.object({ namespace: dnsLabel.default('mongodb'), port: z.number().int().positive().default(27017) }).strict()
    .default({ namespace: 'mongodb', port: 27017 }),
  /**
   * Each tenant's database server (the `ferretdb` provider: a TenantDatabase in the apps namespace).
   * `volume` keeps its data on a PersistentVolumeClaim (`storageClassName`, or the cluster's default);
   * `ephemeral` on an emptyDir, which goes with the pod (only for clusters without storage).
   */
  tenantDatabases: z.object({
    storage: z.enum(['volume', 'ephemeral']).default('volume'),
    storageClassName: dnsName.optional(),
    sizeMebibytes: z.number().int().min(16).default(1024),
  }).strict().default({ storage: 'volume', sizeMebibytes: 1024 }),
  /** Existing Secret with MONGO_URI and SECRET_KEY (never generated into the manifests). */
  secretName: dnsLabel.default('platform-secrets'),
  /**
   * Built from runner/Dockerfile, api/Dockerfile and ui/Dockerfile (cluster/k3d.sh builds and imports
   * all three under these default tags); tenants' database servers run FerretDB's own image.
   */
  images: z.object({
    api: image.default('fastapi-platform/api:0.1.0'),
    ui: image.default('fastapi-platform/ui:0.1.0'),
    runner: image.default('fastapi-platform/runner:0.1.0'),
    ferretdb: image.default('ghcr.io/ferretdb/ferretdb:1.24.2'),
  }).strict().default({ api: 'fastapi-platform/api:0.1.0', ui: 'fastapi-platform/ui:0.1.0', runner: 'fastapi-platform/runner:0.1.0', ferretdb: 'ghcr.io/ferretdb/ferretdb:1.24.2' }),
  api: z.object({
    /** One replica: the API also reconciles desired and actual state, which must not run twice. */
    replicas: z.number().int().min(1).max(1).default(1),
    resources: resources.default({ cpuMillis: { request: 200, limit: 1000 }, memoryMebibytes: { request: 256, limit: 512 } }),
  }).strict().default({ replicas: 1, resources: { cpuMillis: { request: 200, limit: 1000 }, memoryMebibytes: { request: 256, limit: 512 } } }),
  /**
   * The app gateway (api/gateway-main.ts): every app request passes through it. A fixed count, two by
   * default so one pod's restart or eviction never stops apps' traffic; its CPU per request is
   * measured in bench/gateway to size it.
   */
  gateway: z.object({
    replicas: z.number().int().min(1).default(2),
    resources: resources.default({ cpuMillis: { request: 100, limit: 1000 }, memoryMebibytes: { request: 128, limit: 256 } }),
  }).strict().default({ replicas: 2, resources: { cpuMillis: { request: 100, limit: 1000 }, memoryMebibytes: { request: 128, limit: 256 } } }),
  ui: z.object({
    replicas: z.number().int().min(1).default(1),
    resources: resources.default({ cpuMillis: { request: 20, limit: 200 }, memoryMebibytes: { request: 32, limit: 64 } }),
  }).strict().default({ replicas: 1, resources: { cpuMillis: { request: 20, limit: 200 }, memoryMebibytes: { request: 32, limit: 64 } } }),
}).strict();

export type PlatformConfig = z.infer<typeof platformConfigSchema>;

/** Validates a partial config over the defaults; throws one message listing every bad path. */
export function parsePlatformConfig(input: unknown): PlatformConfig {
  const result = platformConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`invalid platform config:\n${problems}`);
  }
  return result.data;
}

/** Reads PLATFORM_CONFIG (JSON or YAML) when set, else the defaults. */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const file = env.PLATFORM_CONFIG;
  return parsePlatformConfig(file ? parse(readFileSync(file, 'utf8')) : {});
}
