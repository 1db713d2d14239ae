/**
 * PlatformService: one of the platform's own HTTP workloads (the API, the UI) as a restricted
 * Deployment, a Service in front of it and a PodDisruptionBudget that lets a node drain take one pod
 * at a time. Same security posture as user apps: numeric non-root UID, read-only root with a /tmp
 * emptyDir, every capability dropped, RuntimeDefault seccomp. Replicas prefer different nodes.
 */
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { platformLabels } from './labels.js';
import { restrictedContainer, restrictedPod } from './_security.js';
import { check, isDnsLabel } from './_validate.js';

/** CPU (millicores) and memory (MiB) requests and limits. */
export interface ServiceResources {
  readonly cpuMillis: { readonly request: number; readonly limit: number };
  readonly memoryMebibytes: { readonly request: number; readonly limit: number };
}

export interface PlatformServiceProps {
  /** Name of the Deployment and the Service, and the component label. */
  readonly name: string;
  /** Container image. */
  readonly image: string;
  /** Port the container listens on; the Service exposes it as port 80. */
  readonly port: number;
  /** Path answering 200 when the process can serve. */
  readonly healthPath: string;
  /** CPU and memory. */
  readonly resources: ServiceResources;
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Environment variables read from keys of existing Secrets: name → { secret, key }.
   * @default - none
   */
  readonly secretEnv?: Readonly<Record<string, { readonly secret: string; readonly key: string }>>;
  /**
   * Environment variables read from the pod's own fields (the downward API), e.g. `POD_NAME` → `metadata.name`.
   * @default - none
   */
  readonly fieldEnv?: Readonly<Record<string, 'metadata.name' | 'metadata.namespace'>>;
  /**
   * Name of the ServiceAccount the pods run as; its token is mounted only when set.
   * @default - no service account token
   */
  readonly serviceAccountName?: string;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Numeric UID (and GID) the container runs as; must match the image's USER.
   * @default 10001
   */
  readonly uid?: number;
  /**
   * How an update replaces the pods: `rolling` starts the new pod before the old one stops (never
   * below `replicas`); `recreate` stops every old pod first, for a process that must never run twice
   * at once (the API, which reconciles desired and actual state), at the cost of a short gap.
   * @default 'rolling'
   */
  readonly strategy?: 'rolling' | 'recreate';
  /**
   * The container's command, for a second process of the same image (the gateway's).
   * @default - the image's
   */
  readonly command?: readonly string[];
  /**
   * A second port the pods listen on, not exposed by the Service (the gateway's Prometheus metrics).
   * @default - none
   */
  readonly metricsPort?: number;
}

export class PlatformService extends Construct {
  readonly name: string;
  /** Labels the pods carry and the Service selects. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;

  constructor(scope: Construct, id: string, props: PlatformServiceProps) {
    super(scope, id);
    check(isDnsLabel(props.name), 'PlatformService', 'name', props.name, 'use a lower-case DNS label such as api');
    check(Number.isInteger(props.port) && props.port > 1024 && props.port < 65536, 'PlatformService', 'port', props.port, 'use an unprivileged port (1025-65535)');
    check(props.image.length > 0 && !/\s/.test(props.image), 'PlatformService', 'image', props.image, 'give an image reference');
    const strategy = props.strategy ?? 'rolling';
    check(strategy === 'rolling' || strategy === 'recreate', 'PlatformService', 'strategy', strategy, "use 'rolling' or 'recreate'");
    this.name = props.name;
    this.port = props.port;
    const labels = platformLabels(props.name);
    this.podLabels = labels;
    const uid = props.uid ?? 10001;
    const probe = (options: kplus.HttpGetProbeOptions): kplus.Probe =>
      kplus.Probe.fromHttpGet(props.healthPath, { port: props.port, timeoutSeconds: Duration.seconds(3), ...options });

    const env: Record<string, kplus.EnvValue> = {};
    for (const [key, value] of Object.entries(props.env ?? {})) env[key] = kplus.EnvValue.fromValue(value);
    for (const [key, ref] of Object.entries(props.secretEnv ?? {})) {
      env[key] = kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(this, `Secret-${key}`, ref.secret), key: ref.key });
    }
    for (const [key, path] of Object.entries(props.fieldEnv ?? {})) {
      env[key] = kplus.EnvValue.fromFieldRef(path === 'metadata.name' ? kplus.EnvFieldPaths.POD_NAME : kplus.EnvFieldPaths.POD_NAMESPACE);
    }

    const deployment = new kplus.Deployment(this, 'Resource', {
      metadata: { name: props.name, labels },
      replicas: props.replicas ?? 1,
      select: false,
      podMetadata: { labels },
      strategy: strategy === 'recreate'
        ? kplus.DeploymentStrategy.recreate()
        : kplus.DeploymentStrategy.rollingUpdate({
          maxSurge: kplus.PercentOrAbsolute.absolute(1),
          maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
        }),
      securityContext: restrictedPod(uid),
      automountServiceAccountToken: props.serviceAccountName !== undefined,
      ...(props.serviceAccountName
        ? { serviceAccount: kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', props.serviceAccountName) }
        : {}),
      containers: [{
        name: props.name,
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ...(props.command ? { command: [...props.command] } : {}),
        ports: [{ number: props.port, name: 'http' }, ...(props.metricsPort ? [{ number: props.metricsPort, name: 'metrics' }] : [])],
        securityContext: restrictedContainer(uid),
        envVariables: env,
        resources: {
          cpu: { request: kplus.Cpu.millis(props.resources.cpuMillis.request), limit: kplus.Cpu.millis(props.resources.cpuMillis.limit) },
          memory: { request: Size.mebibytes(props.resources.memoryMebibytes.request), limit: Size.mebibytes(props.resources.memoryMebibytes.limit) },
        },
        startup: probe({ periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
        readiness: probe({ periodSeconds: Duration.seconds(5), failureThreshold: 2 }),
        liveness: probe({ periodSeconds: Duration.seconds(20), failureThreshold: 3 }),
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/part-of': labels['app.kubernetes.io/part-of'] ?? '' } }));
    deployment.containers[0]?.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(128) }));
    const selector = { matchLabels: { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/part-of': labels['app.kubernetes.io/part-of'] ?? '' } };
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
      // Spread replicas over nodes when there are several; never block scheduling on a one-node cluster.
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      ]),
      JsonPatch.add('/spec/revisionHistoryLimit', 5),
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
    );

    const service = new kplus.Service(this, 'Service', {
      metadata: { name: props.name, labels },
      ports: [{ name: 'http', port: 80, targetPort: props.port }],
    });
    service.selectLabel('app.kubernetes.io/name', props.name);
    service.selectLabel('app.kubernetes.io/part-of', labels['app.kubernetes.io/part-of'] ?? '');

    // maxUnavailable rather than minAvailable: with one replica a drain may still evict it (the
    // rolling update, not the budget, is what keeps an update serving), and with N it goes one by one.
    new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: props.name, labels },
      spec: { maxUnavailable: 1, selector },
    });
  }
}
