/**
 * The gateway process's configuration (api/gateway-main.ts), from its environment: far less than the
 * API's, because it holds no signing key and no app's secrets. It reads the platform's database (apps'
 * owners and sleep state, its own traffic documents) and watches the apps namespace.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './config.js';

const dnsName = z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lower-case DNS name');
const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// URI'),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).optional(),
  APP_DOMAIN: dnsName,
  /** The scheme apps are reached with, for the browsers' waiting page and redirects. */
  APP_PROTOCOL: z.enum(['http', 'https']).default('http'),
  APPS_NAMESPACE: dnsName.default('fastapi-apps'),
  KUBECONFIG: z.string().optional(),
  KUBE_CONTEXT: z.string().optional(),
  PORT: port.default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Prometheus text at /metrics on its own port, never routed from outside; 0 turns it off. */
  METRICS_PORT: port.default(9090),
  /** How long a request waits for its app to wake or start before a waiting page or a 503. */
  WAKE_WAIT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** On SIGTERM, how long to go on answering while the pod leaves the endpoints (under the pod's grace period). */
  DRAIN_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  /** The traffic documents' owner: the pod's name (its hostname). */
  REPLICA: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional(),
});

export interface GatewayConfig {
  readonly mongoUri: string;
  readonly mongoDb: string;
  readonly appDomain: string;
  readonly protocol: 'http' | 'https';
  readonly appsNamespace: string;
  readonly kubeconfig: string | undefined;
  readonly kubeContext: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly metricsPort: number;
  readonly holdMs: number;
  readonly drainMs: number;
  readonly replica: string;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const c = parsed.data;
  const uriDb = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(c.MONGO_URI)?.[1];
  return {
    mongoUri: c.MONGO_URI, mongoDb: c.MONGO_DB ?? uriDb ?? 'fastapi_platform', appDomain: c.APP_DOMAIN, protocol: c.APP_PROTOCOL,
    appsNamespace: c.APPS_NAMESPACE, kubeconfig: c.KUBECONFIG, kubeContext: c.KUBE_CONTEXT, port: c.PORT, host: c.HOST,
    metricsPort: c.METRICS_PORT, holdMs: c.WAKE_WAIT_SECONDS * 1000, drainMs: c.DRAIN_SECONDS * 1000, replica: c.REPLICA ?? hostname(),
  };
}
