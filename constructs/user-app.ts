/**
 * UserApp: everything one user's app needs in the apps namespace (PRODUCT.md §3). Code goes in a
 * ConfigMap (paths encoded into keys and mapped back with `items`), env vars and the database URI in a
 * Secret, the runner in a restricted Deployment with probes on the runner's reserved health path,
 * a Service 80→8000, a Traefik route for `app-<id>.<appDomain>`, and a NetworkPolicy that lets only
 * the ingress controller and the platform in, and only DNS, the database and the internet out.
 */
import { Duration, JsonPatch, ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HostRoute, type RouteTls } from './host-route.js';
import { PodNetworkPolicy, dnsEgress, privateCidrs, type NetworkPeer, type TrafficRule } from './pod-network-policy.js';
import { appHostName } from './app-host.js';
import { envNameProblem } from './env-names.js';
import { annotationKeys, tenantDatabaseSelectorLabels, userAppLabels, userAppSelectorLabels } from './labels.js';
import { codeHash, envHash } from './_hash.js';
import { fileKey } from './file-keys.js';
import { restrictedContainer, restrictedPod } from './_security.js';
import { check, invalid, isDnsLabel, isDnsName, isLabelValue, isSafeRelativePath } from './_validate.js';
import { defaultEntrypoints, entrypointExtensions, languageOfEntrypoint, type AppLanguage } from './languages.js';

/** The UID both runner images run as (runner/Dockerfile's and runner-node/Dockerfile's USER); pods run as this numeric user. */
export const runnerUid = 10001;
/** The port the runner (uvicorn, or Node's HTTP server) listens on inside the pod. */
export const runnerPort = 8000;
/** The runner's reserved probe path: 200 only once the app imported and its startup ran. */
export const runnerHealthPath = '/_platform/health';
/** Where the code is mounted in the pod. */
export const codeMountPath = '/code';

/** ConfigMaps (and so a project) must stay under the apiserver's 1 MiB object limit, with headroom for metadata. */
const maxCodeBytes = 1_000_000;

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

function validate(props: UserAppProps, entrypoint: string, language: AppLanguage): void {
  const c = 'UserApp';
  check(isDnsLabel(props.appId, 40), c, 'appId', props.appId, 'use 1-40 lower-case letters, digits or dashes, starting and ending with a letter or digit');
  check(props.ownerId.length > 0 && isLabelValue(props.ownerId), c, 'ownerId', props.ownerId, 'use at most 63 letters, digits, dashes, dots or underscores');
  check(isDnsName(props.appDomain), c, 'appDomain', props.appDomain, 'use a lower-case DNS name such as apps.example.com');
  check(props.image.length > 0 && !/\s/.test(props.image), c, 'image', props.image, 'give an image reference such as registry/runner:1.0');
  const paths = Object.keys(props.files);
  check(paths.length > 0, c, 'files', '{}', 'give at least the entrypoint file');
  let bytes = 0;
  for (const path of paths) {
    check(isSafeRelativePath(path), c, 'files', path, 'use a relative path without "..", ".", empty segments, backslashes or control characters');
    check(fileKey(path).length <= 253, c, 'files', path, 'shorten the path (its ConfigMap key would exceed 253 characters)');
    bytes += Buffer.byteLength(props.files[path] ?? '') + fileKey(path).length;
  }
  check(bytes <= maxCodeBytes, c, 'files', `${bytes} bytes`, `keep the project under ${maxCodeBytes} bytes in total`);
  const extensions = entrypointExtensions[language];
  check(languageOfEntrypoint(entrypoint) === language && paths.includes(entrypoint), c, 'entrypoint', entrypoint, `name a ${extensions.join(', ')} file that is in files (the ${language} runner imports it)`);
  for (const name of Object.keys(props.env ?? {})) {
    const problem = envNameProblem(name);
    if (problem) invalid(c, 'env', name, problem);
  }
  const replicas = props.replicas ?? 1;
  check(Number.isInteger(replicas) && replicas >= 0 && replicas <= 10, c, 'replicas', replicas, 'use a whole number from 0 to 10');
  if (props.gateway) {
    check(isDnsLabel(props.gateway.namespace), c, 'gateway.namespace', props.gateway.namespace, 'use a namespace name');
    check(isDnsLabel(props.gateway.serviceName), c, 'gateway.serviceName', props.gateway.serviceName, 'use a Service name');
    check(Object.keys(props.gateway.podLabels).length > 0, c, 'gateway.podLabels', '{}', 'give the labels that select the gateway\'s pods (an empty selector would admit every pod)');
  }
  if (props.version !== undefined) check(Number.isInteger(props.version) && props.version > 0, c, 'version', props.version, 'use a positive whole number');
  for (const [prop, pair] of [['resources.cpuMillis', props.resources?.cpuMillis], ['resources.memoryMebibytes', props.resources?.memoryMebibytes]] as const) {
    if (pair) check(pair.request > 0 && pair.request <= pair.limit, c, prop, `${pair.request}/${pair.limit}`, 'use a positive request no larger than the limit');
  }
  const windows = props.failureWindows ?? {};
  if (windows.startupSeconds !== undefined) check(Number.isInteger(windows.startupSeconds) && windows.startupSeconds >= 1 && windows.startupSeconds <= 3600, c, 'failureWindows.startupSeconds', windows.startupSeconds, 'use a whole number of seconds from 1 to 3600');
  if (windows.progressDeadlineSeconds !== undefined) check(Number.isInteger(windows.progressDeadlineSeconds) && windows.progressDeadlineSeconds >= 1, c, 'failureWindows.progressDeadlineSeconds', windows.progressDeadlineSeconds, 'use a positive whole number of seconds');
  for (const [prop, value] of [['drain.delaySeconds', props.drain?.delaySeconds], ['drain.requestSeconds', props.drain?.requestSeconds]] as const) {
    if (value !== undefined) check(Number.isInteger(value) && value >= 0 && value <= 600, c, prop, value, 'use a whole number of seconds from 0 to 600');
  }
  for (const cidr of props.network?.blockedCidrs ?? []) check(isCidr(cidr), c, 'network.blockedCidrs', cidr, 'use an IPv4 range such as 192.0.2.0/24');
  const database = props.network?.database;
  const tenantPort = props.network?.tenantDatabase?.port;
  if (tenantPort !== undefined) check(Number.isInteger(tenantPort) && tenantPort > 0 && tenantPort < 65536, c, 'network.tenantDatabase.port', tenantPort, 'use a port from 1 to 65535');
  if (database === 'none' || database === undefined) return;
  if ('cidr' in database) check(isCidr(database.cidr), c, 'network.database.cidr', database.cidr, 'use an IPv4 range such as 10.1.2.3/32');
  if (database.port !== undefined) check(Number.isInteger(database.port) && database.port > 0 && database.port < 65536, c, 'network.database.port', database.port, 'use a port from 1 to 65535');
}

function isCidr(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  return !!match && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= 32;
}

export class UserApp extends Construct {
  readonly appId: string;
  /** Which runner serves it. */
  readonly language: AppLanguage;
  /** The host the app answers on. */
  readonly host: string;
  readonly names: UserAppNames;
  /** Hash of files + entrypoint on the pod template: a code change rolls the pods. */
  readonly codeHash: string;
  /** Hash of env + database URI on the pod template: an env change rolls the pods. */
  readonly envHash: string;

  constructor(scope: Construct, id: string, props: UserAppProps) {
    super(scope, id);
    const language = props.language ?? languageOfEntrypoint(props.entrypoint ?? '') ?? 'python';
    const entrypoint = props.entrypoint ?? defaultEntrypoints[language];
    validate(props, entrypoint, language);
    this.language = language;
    this.appId = props.appId;
    this.host = appHostName(props.appId, props.appDomain);

    const labels = userAppLabels(props.appId, props.ownerId);
    const selector = userAppSelectorLabels(props.appId);
    const secretData: Record<string, string> = { ...props.env };
    if (props.databaseUri !== undefined) secretData.PLATFORM_MONGO_URI = props.databaseUri;
    this.codeHash = codeHash(props.files, entrypoint);
    this.envHash = envHash(secretData);
    this.names = userAppNames(props.appId, this);

    const paths = Object.keys(props.files).sort();
    new kplus.ConfigMap(this, 'Code', {
      metadata: { name: this.names.configMap, labels },
      data: Object.fromEntries(paths.map((path) => [fileKey(path), props.files[path] ?? ''])),
      immutable: true,
    });
    new kplus.k8s.KubeSecret(this, 'Env', {
      metadata: { name: this.names.secret, labels },
      type: 'Opaque',
      immutable: true,
      // `data`, not `stringData`: stringData is write-only, so server-side apply would see it as a
      // change on every apply.
      // No `data` at all when empty: the apiserver stores an empty map as none, and re-applying `{}` to an
      // immutable Secret would be refused as a change.
      ...(Object.keys(secretData).length > 0
        ? { data: Object.fromEntries(Object.keys(secretData).sort().map((key) => [key, Buffer.from(secretData[key] ?? '').toString('base64')])) }
        : {}),
    });

    const cpu = props.resources?.cpuMillis ?? { request: 50, limit: 500 };
    const memory = props.resources?.memoryMebibytes ?? { request: 64, limit: 256 };
    const startupSeconds = props.failureWindows?.startupSeconds ?? 60;
    const drainDelay = props.drain?.delaySeconds ?? 5;
    const drainRequests = props.drain?.requestSeconds ?? 25;
    const probe = (options: kplus.HttpGetProbeOptions): kplus.Probe =>
      kplus.Probe.fromHttpGet(runnerHealthPath, { port: runnerPort, timeoutSeconds: Duration.seconds(2), ...options });
    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: this.names.deployment, labels, ...(props.version ? { annotations: { [annotationKeys.version]: String(props.version) } } : {}) },
      ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
      select: false,
      podMetadata: { labels, annotations: { [annotationKeys.codeHash]: this.codeHash, [annotationKeys.envHash]: this.envHash } },
      // A broken new version must never take the running one down: surge one, never go below.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      progressDeadline: Duration.seconds(props.failureWindows?.progressDeadlineSeconds ?? 300),
      securityContext: restrictedPod(runnerUid),
      automountServiceAccountToken: false,
      // The preStop delay and the in-flight requests' time both count against the grace period.
      terminationGracePeriod: Duration.seconds(drainDelay + drainRequests),
      containers: [{
        name: 'runner',
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ number: runnerPort, name: 'http' }],
        securityContext: restrictedContainer(runnerUid),
        envVariables: {
          APP_ID: kplus.EnvValue.fromValue(props.appId),
          CODE_DIR: kplus.EnvValue.fromValue(codeMountPath),
          ENTRYPOINT: kplus.EnvValue.fromValue(entrypoint),
          PORT: kplus.EnvValue.fromValue(String(runnerPort)),
          HOME: kplus.EnvValue.fromValue('/tmp'),
          ...(language === 'python' ? { PYTHONDONTWRITEBYTECODE: kplus.EnvValue.fromValue('1') } : {}),
          FP_GRACEFUL_SECONDS: kplus.EnvValue.fromValue(String(drainRequests)),
          FORWARDED_ALLOW_IPS: kplus.EnvValue.fromValue((props.network?.trustedProxyCidrs ?? privateCidrs).join(',')),
          // The runner names the version that answered in a header the gateway records and strips.
          ...(props.version ? { FP_APP_VERSION: kplus.EnvValue.fromValue(String(props.version)) } : {}),
        },
        envFrom: [kplus.Env.fromSecret(kplus.Secret.fromSecretName(this, 'EnvRef', this.names.secret))],
        resources: {
          cpu: { request: kplus.Cpu.millis(cpu.request), limit: kplus.Cpu.millis(cpu.limit) },
          memory: { request: Size.mebibytes(memory.request), limit: Size.mebibytes(memory.limit) },
        },
        // Startup allows `startupSeconds` of imports; readiness gates traffic (probed every second, so a
        // new pod takes traffic about as soon as it answers); liveness restarts a hung app.
        startup: probe({ periodSeconds: Duration.seconds(1), failureThreshold: startupSeconds }),
        readiness: probe({ periodSeconds: Duration.seconds(1), failureThreshold: 2 }),
        liveness: probe({ periodSeconds: Duration.seconds(20), failureThreshold: 3, timeoutSeconds: Duration.seconds(5) }),
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const runner = deployment.containers[0];
    if (!runner) throw new Error('UserApp: the runner container is missing');
    runner.mount(codeMountPath, kplus.Volume.fromConfigMap(this, 'CodeVolume', kplus.ConfigMap.fromConfigMapName(this, 'CodeRef', this.names.configMap), {
      name: 'code',
      defaultMode: 0o444,
      items: Object.fromEntries(paths.map((path) => [fileKey(path), { path }])),
    }), { readOnly: true });
    runner.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp', { sizeLimit: Size.mebibytes(64) }));

    const raw = ApiObject.of(deployment);
    raw.addJsonPatch(
      // The runner's import failure line becomes the container's termination message.
      JsonPatch.add('/spec/template/spec/containers/0/terminationMessagePolicy', 'FallbackToLogsOnError'),
      JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
      // Draining: a pod being replaced leaves the Service's endpoints at once (it is terminating), but
      // the ingress controller learns that a moment later; it keeps serving meanwhile, then SIGTERM
      // lets in-flight requests finish (the runner's graceful shutdown, FP_GRACEFUL_SECONDS).
      // (An exec of the image's `sleep`: cdk8s-plus-28's types predate the `sleep` action and drop it.)
      ...(drainDelay > 0 ? [JsonPatch.add('/spec/template/spec/containers/0/lifecycle', { preStop: { exec: { command: ['sleep', String(drainDelay)] } } })] : []),
      JsonPatch.add('/spec/revisionHistoryLimit', 3),
      ...(props.replicas === undefined ? [JsonPatch.remove('/spec/replicas')] : []),
      // Keep the pod template ours alone: cdk8s adds a construct-path label that nothing selects on.
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
    );

    const service = new kplus.Service(this, 'Service', {
      metadata: { name: this.names.service, labels },
      ports: [{ name: 'http', port: 80, targetPort: runnerPort }],
    });
    for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);

    const gateway = props.gateway;
    new HostRoute(this, 'Route', {
      name: this.names.route,
      host: this.host,
      labels,
      backends: [gateway
        ? { serviceName: gateway.serviceName, namespace: gateway.namespace, servicePort: gateway.servicePort ?? 80 }
        : { serviceName: this.names.service, servicePort: 80 }],
      ...(props.tls ? { tls: props.tls } : {}),
    });

    const network = props.network ?? {};
    // Through the gateway, nothing else reaches the app (the kubelet's probes come from the node, which
    // network plugins admit).
    const admitted: NetworkPeer[] = gateway
      ? [{ namespace: gateway.namespace, podLabels: gateway.podLabels }]
      : [{ namespace: network.ingressNamespace ?? 'traefik' }, { namespace: network.platformNamespace ?? 'fastapi-platform' }];
    const database = network.database ?? { namespace: 'mongodb', port: 27017 };
    const blocked = [...privateCidrs, ...(network.blockedCidrs ?? []).filter((cidr) => !privateCidrs.includes(cidr))];
    const databaseRules: TrafficRule[] = [];
    if (database !== 'none') {
      databaseRules.push({ peers: ['cidr' in database ? { cidr: database.cidr } : { namespace: database.namespace }], ports: [{ port: database.port ?? 27017 }] });
    }
    // Only the own tenant's server: another tenant's database pods carry another owner label.
    if (network.tenantDatabase) {
      databaseRules.push({ peers: [{ podLabels: tenantDatabaseSelectorLabels(props.ownerId) }], ports: [{ port: network.tenantDatabase.port ?? 27017 }] });
    }
    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: this.names.networkPolicy,
      labels,
      podLabels: selector,
      ingress: [{ peers: admitted, ports: [{ port: runnerPort }] }],
      egress: [
        dnsEgress,
        ...databaseRules,
        { peers: [{ cidr: '0.0.0.0/0', except: blocked }] },
      ],
    });
  }
}
