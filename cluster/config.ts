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
// Whole millicores and mebibytes: what the chart writes (`200m`, `256Mi`) and what a Helm value can hold exactly.
export const requestOverLimit = 'the request must not exceed the limit';
const pair = z.object({
  request: z.number().int().positive().describe('Requested: what the scheduler reserves for each pod.'),
  limit: z.number().int().positive().describe('Limit: the most each pod may use.'),
}).strict()
  .refine((p) => p.request <= p.limit, requestOverLimit);
const resources = z.object({
  cpuMillis: pair.describe('CPU in millicores (1000 = one core).'),
  memoryMebibytes: pair.describe('Memory in MiB.'),
}).strict();

export const platformConfigSchema = z.object({
  namespace: dnsLabel.default('fastapi-platform').describe('Namespace of the API and UI (created by the chart, restricted Pod Security).'),
  appsNamespace: dnsLabel.default('fastapi-apps').describe('Namespace holding every user app (created by the chart, restricted Pod Security).'),
  baseDomain: dnsName.default('platform.127.0.0.1.nip.io').describe('Where people reach the platform: the UI at `/`, the API at `/api`.'),
  appDomain: dnsName.default('apps.127.0.0.1.nip.io')
    .describe('Apps answer at `app-<id>.<appDomain>`; keep it on another registrable domain than baseDomain.'),
  tls: z.object({
    secretName: z.string().optional().describe('A TLS Secret in the platform namespace, for both domains.'),
    certResolver: z.string().optional().describe("A Traefik certificate resolver (e.g. Let's Encrypt) instead of, or besides, the Secret."),
  }).strict().optional()
    .describe("TLS for both domains' routes (Traefik's `websecure` entry point); absent means plain HTTP on `web`."),
  ingress: z.object({
    namespace: dnsLabel.default('traefik').describe("The ingress controller's namespace (the only one let into the platform's and the apps' pods)."),
    url: z.string().url().default('http://traefik.traefik.svc')
      .describe("Where the API's test panel reaches apps: the ingress controller's Service, in-cluster."),
    port: z.number().int().positive().max(65535).default(8000)
      .describe("The ingress controller's pods' port (what the API's NetworkPolicy lets it reach)."),
  }).strict().default({ namespace: 'traefik', url: 'http://traefik.traefik.svc', port: 8000 }).describe('The Traefik ingress controller.'),
  blockedCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 range such as 203.0.113.0/24')).default([])
    .describe('Address ranges apps may never reach, besides the private ranges (e.g. a public apiserver or node addresses).'),
  database: z.object({
    namespace: dnsLabel.default('mongodb').describe("The MongoDB server's namespace."),
    port: z.number().int().positive().max(65535).default(27017).describe("The MongoDB server's port."),
  }).strict()
    .default({ namespace: 'mongodb', port: 27017 })
    .describe('The MongoDB server the API and apps reach, for their NetworkPolicies (the address itself is MONGO_URI in secretName).'),
  tenantDatabases: z.object({
    storage: z.enum(['volume', 'ephemeral']).default('volume')
      .describe('`volume` keeps each server\'s data on a PersistentVolumeClaim; `ephemeral` on an emptyDir, which goes with the pod (only for clusters without storage).'),
    storageClassName: dnsName.optional().describe('The claims\' StorageClass (the cluster\'s default when unset).'),
    sizeMebibytes: z.number().int().min(16).default(1024).describe('Each claim\'s size in MiB.'),
  }).strict().default({ storage: 'volume', sizeMebibytes: 1024 })
    .describe('Each tenant\'s database server (the `ferretdb` provider: a TenantDatabase in the apps namespace).'),
  secretName: dnsLabel.default('platform-secrets')
    .describe('An existing Secret in the platform namespace with MONGO_URI and SECRET_KEY (never generated into the manifests).'),
  images: z.object({
    api: image.default('fastapi-platform/api:0.1.0').describe('The API (api/Dockerfile).'),
    ui: image.default('fastapi-platform/ui:0.1.0').describe('The editor UI (ui/Dockerfile).'),
    runner: image.default('fastapi-platform/runner:0.1.0').describe("Every user app's pods (runner/Dockerfile)."),
    runnerNode: image.default('fastapi-platform/runner-node:0.1.0').describe("TypeScript apps' pods (runner-node/Dockerfile)."),
    ferretdb: image.default('ghcr.io/ferretdb/ferretdb:1.24.2').describe("Each tenant's database server (FerretDB's own image)."),
  }).strict().default({
    api: 'fastapi-platform/api:0.1.0', ui: 'fastapi-platform/ui:0.1.0', runner: 'fastapi-platform/runner:0.1.0',
    runnerNode: 'fastapi-platform/runner-node:0.1.0', ferretdb: 'ghcr.io/ferretdb/ferretdb:1.24.2',
  })
    .describe('Images, built from runner/Dockerfile, runner-node/Dockerfile, api/Dockerfile and ui/Dockerfile (cluster/k3d.sh builds and imports all four under these default tags); tenants\' database servers run FerretDB\'s own.'),
  api: z.object({
    replicas: z.number().int().min(1).default(2)
      .describe('API pods. Replicas share their state through the database; the one holding the reconciler Lease reconciles and sweeps, and another takes over within 15 s of it going. A rolling update and the PodDisruptionBudget keep at least one serving.'),
    resources: resources.default({ cpuMillis: { request: 200, limit: 1000 }, memoryMebibytes: { request: 256, limit: 512 } })
      .describe("Each API pod's requests and limits."),
  }).strict().default({ replicas: 2, resources: { cpuMillis: { request: 200, limit: 1000 }, memoryMebibytes: { request: 256, limit: 512 } } })
    .describe('The API (Koa), which also reconciles apps with the cluster.'),
  gateway: z.object({
    replicas: z.number().int().min(1).default(2)
      .describe("Gateway pods. Two by default, so one pod's restart or eviction never stops apps' traffic; bench/gateway measures its CPU per request to size it."),
    resources: resources.default({ cpuMillis: { request: 100, limit: 1000 }, memoryMebibytes: { request: 128, limit: 256 } })
      .describe("Each gateway pod's requests and limits."),
  }).strict().default({ replicas: 2, resources: { cpuMillis: { request: 100, limit: 1000 }, memoryMebibytes: { request: 128, limit: 256 } } })
    .describe('The app gateway (api/gateway-main.ts, the API image): every request to an app passes through it.'),
  ui: z.object({
    replicas: z.number().int().min(1).default(1).describe('UI pods (static files; a PodDisruptionBudget lets one go at a time).'),
    resources: resources.default({ cpuMillis: { request: 20, limit: 200 }, memoryMebibytes: { request: 32, limit: 64 } })
      .describe("Each UI pod's requests and limits."),
  }).strict().default({ replicas: 1, resources: { cpuMillis: { request: 20, limit: 200 }, memoryMebibytes: { request: 32, limit: 64 } } })
    .describe('The editor UI, served as static files.'),
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
