/** What a UserApp is made from, the names it gives its objects, and the runner's fixed contract (port, UID, paths). */
import type { RouteTls } from './host-route.js';
import type { AppLanguage } from './languages.js';

/** The UID both runner images run as (runner/Dockerfile's and runner-node/Dockerfile's USER); pods run as this numeric user. */
export const runnerUid = 10001;
/** The port the runner (uvicorn, or Node's HTTP server) listens on inside the pod. */
export const runnerPort = 8000;
/** The runner's reserved probe path: 200 only once the app imported and its startup ran. */
export const runnerHealthPath = '/_platform/health';
/** Where the code is mounted in the pod. */
export const codeMountPath = '/code';

/** ConfigMaps (and so a project) must stay under the apiserver's 1 MiB object limit, with headroom for metadata. */
export const maxCodeBytes = 1_000_000;

/** How long the runner may take to answer its health probe before the kubelet restarts it, and how long a rollout may make no progress. */
export interface FailureWindows {
  /**
   * Seconds the startup probe keeps trying (once a second) before the kubelet kills the container.
   * @default 60
   */
  readonly startupSeconds?: number;
  /**
   * Seconds a rollout may make no progress before the Deployment reports ProgressDeadlineExceeded.
   * @default 300
   */
  readonly progressDeadlineSeconds?: number;
}

/** How an old pod leaves a rolling update without failing requests (see UserAppProps.drain). */
export interface DrainProps {
  /**
   * Seconds the old pod keeps serving after it was taken out of the Service, before it gets SIGTERM:
   * the time the ingress controller needs to see the endpoint go.
   * @default 5
   */
  readonly delaySeconds?: number;
  /**
   * Seconds in-flight requests get after SIGTERM before the kubelet kills the process.
   * @default 25
   */
  readonly requestSeconds?: number;
}

/** CPU and memory for an app's runner container. */
export interface AppResources {
  /**
   * CPU in millicores.
   * @default { request: 50, limit: 500 }
   */
  readonly cpuMillis?: { readonly request: number; readonly limit: number };
  /**
   * Memory in MiB. The limit is where the kernel kills the process (OOMKilled).
   * @default { request: 64, limit: 256 }
   */
  readonly memoryMebibytes?: { readonly request: number; readonly limit: number };
}

/** Where an app's database is, for its egress rule. */
export type DatabaseEndpoint =
  | { readonly namespace: string; readonly port?: number }
  | { readonly cidr: string; readonly port?: number };

/** The platform's gateway, in front of every app. */
export interface AppGateway {
  /** Namespace of the gateway's Service and pods. */
  readonly namespace: string;
  /** Name of the gateway's Service. */
  readonly serviceName: string;
  /**
   * Port of the gateway's Service.
   * @default 80
   */
  readonly servicePort?: number;
  /** Labels of the gateway's pods, the only ones the app's NetworkPolicy admits. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Which peers an app may talk to. */
export interface AppNetworkProps {
  /**
   * Namespace of the ingress controller, the only outside peer allowed to reach app pods.
   * @default 'traefik'
   */
  readonly ingressNamespace?: string;
  /**
   * Namespace of the platform (its test panel calls apps in-cluster).
   * @default 'fastapi-platform'
   */
  readonly platformNamespace?: string;
  /**
   * The MongoDB server apps may reach (the operator's, shared by every tenant behind credentials);
   * `'none'` when apps reach only their tenant's own database (`tenantDatabase`).
   * @default { namespace: 'mongodb', port: 27017 }
   */
  readonly database?: DatabaseEndpoint | 'none';
  /**
   * The app's tenant has a database server of its own in the app's namespace (TenantDatabase): the app
   * may reach that server's pods (those labelled with its owner) on this port, and no other tenant's.
   * @default - no tenant database
   */
  readonly tenantDatabase?: { readonly port?: number };
  /**
   * Address ranges apps may never reach, besides the cluster's own (cluster pod and service networks,
   * nodes, the apiserver, cloud metadata). These are added to the defaults, never replace them.
   * @default - only the private, carrier-grade NAT and link-local ranges
   */
  readonly blockedCidrs?: readonly string[];
  /**
   * Addresses whose X-Forwarded-* headers the runner trusts (the ingress controller's pods).
   * @default - the private ranges: the NetworkPolicy admits only the ingress and the platform
   */
  readonly trustedProxyCidrs?: readonly string[];
}

export interface UserAppProps {
  /** The app's id: lower-case letters, digits and dashes, at most 40 characters. Names every object. */
  readonly appId: string;
  /** The owning user's id; a label on every object, so a tenant's objects can be listed. */
  readonly ownerId: string;
  /** The project: relative path → file content. Folders (`static/`, packages) are allowed. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * The language the app is written in, which picks what the runner image runs and which entry files it
   * accepts; give the image of that language's runner (`image`).
   * @default - the entrypoint's language (`.py`: python; `.ts`, `.tsx`, `.mts`, `.js`, `.mjs`: typescript), else python
   */
  readonly language?: AppLanguage;
  /**
   * The module the runner imports; must be one of `files`, with an extension of the app's language.
   * @default - 'app.py' for python, 'app.ts' for typescript
   */
  readonly entrypoint?: string;
  /**
   * The app's environment variables, delivered through a Secret.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Connection string of the app's own database, delivered as PLATFORM_MONGO_URI through the Secret.
   * @default - no database; PLATFORM_MONGO_URI is unset
   */
  readonly databaseUri?: string;
  /** The runner image of the app's language, e.g. `ghcr.io/example/fastapi-platform-runner:1.0.0` (Python) or `…/runner-node:1.0.0` (TypeScript). */
  readonly image: string;
  /** Domain under which apps are served: the app answers at `app-<appId>.<appDomain>`. */
  readonly appDomain: string;
  /**
   * TLS for the app's route.
   * @default - plain HTTP on the `web` entry point
   */
  readonly tls?: RouteTls;
  /**
   * CPU and memory for the runner container.
   * @default - requests 50m CPU / 64 MiB, limits 500m CPU / 256 MiB
   */
  readonly resources?: AppResources;
  /**
   * Number of pods; 0 puts the app to sleep without removing anything else.
   * @default - not set: the apiserver starts one pod, and whoever scales the app (the platform's sleep
   * and wake, through the scale subresource under a field manager of their own) owns the count, so
   * re-applying these objects never fights it
   */
  readonly replicas?: number;
  /**
   * The gateway every request to the app passes (request records, metrics, sleep and wake): the
   * app's route sends its host there, and only the gateway's pods may reach the app's.
   * @default - no gateway: the route goes to the app's Service, and the ingress controller's and the
   * platform's namespaces may reach the app
   */
  readonly gateway?: AppGateway;
  /**
   * The platform's version number of this code, recorded on the Deployment (not on the pod
   * template, so it never rolls pods by itself); the Deployment controller copies it onto each new
   * ReplicaSet, which tells which version a pod serves.
   * @default - not recorded
   */
  readonly version?: number;
  /**
   * Network isolation peers.
   * @default - see AppNetworkProps
   */
  readonly network?: AppNetworkProps;
  /**
   * How long starting may take before it counts as failed.
   * @default - a 60 s startup window and a 300 s progress deadline
   */
  readonly failureWindows?: FailureWindows;
  /**
   * How an old pod drains during a rolling update.
   * @default - 5 s out of the Service before SIGTERM, then 25 s for in-flight requests
   */
  readonly drain?: DrainProps;
}

/**
 * Names of the objects a UserApp creates; all derived from the app id. The code ConfigMap and the env
 * Secret are immutable and named by their content's hash, so a version's pods only ever see that
 * version's code and env, also when a container restarts during a newer (maybe broken) rollout.
 */
export interface UserAppNames {
  readonly configMap: string;
  readonly secret: string;
  readonly deployment: string;
  readonly service: string;
  readonly route: string;
  readonly networkPolicy: string;
}

/** The name of the app's Deployment, Service, route and NetworkPolicy. */
export function userAppWorkloadName(appId: string): string {
  return `app-${appId}`;
}

export function userAppNames(appId: string, hashes: { readonly codeHash: string; readonly envHash: string }): UserAppNames {
  const base = userAppWorkloadName(appId);
  return {
    configMap: `${base}-code-${hashes.codeHash.slice(0, 10)}`, secret: `${base}-env-${hashes.envHash.slice(0, 10)}`,
    deployment: base, service: base, route: base, networkPolicy: base,
  };
}
