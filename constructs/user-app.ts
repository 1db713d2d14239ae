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
import { HostRoute } from './host-route.js';
import { PodNetworkPolicy, dnsEgress, privateCidrs, type NetworkPeer, type TrafficRule } from './pod-network-policy.js';
import { appHostName } from './app-host.js';
import { annotationKeys, tenantDatabaseSelectorLabels, userAppLabels, userAppSelectorLabels } from './labels.js';
import { codeHash, envHash } from './_hash.js';
import { fileKey } from './file-keys.js';
import { restrictedContainer, restrictedPod } from './_security.js';
import { defaultEntrypoints, languageOfEntrypoint, type AppLanguage } from './languages.js';
import { runnerUid, runnerPort, runnerHealthPath, codeMountPath, type UserAppProps, type UserAppNames, userAppNames } from './user-app-props.js';
import { validate } from './user-app-validate.js';

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
