/**
 * TenantDatabase: one tenant's MongoDB-protocol server on Kubernetes (issue 15): FerretDB 1.24 on its
 * SQLite backend, as the local provider runs it, in a restricted non-root pod of its own. Its
 * administrator's password is in a Secret; its files on a PersistentVolumeClaim (a storage class is a
 * prop), or an emptyDir where a cluster has no storage (the test bed, said so); a Service; and a
 * NetworkPolicy that admits only that tenant's app pods (by the owner label every app pod carries)
 * and the platform's API pods (the explorer), and lets the server reach nothing.
 *
 * FerretDB 1.x enforces no per-database authorization, so the boundary between tenants is the server:
 * one per tenant, fenced by the network as well as by credentials.
 */
import { createHash } from 'node:crypto';
import { App, Chart, JsonPatch, ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodNetworkPolicy } from './pod-network-policy.js';
import { annotationKeys, labelKeys, managedBy, tenantDatabaseSelectorLabels, userAppSelectorLabelsOfOwner } from './labels.js';
import { restrictedContainer, restrictedPod } from './_security.js';
import { check, isDnsLabel, isDnsName, isLabelValue } from './_validate.js';
import type { ManifestObject } from './user-app-chart.js';
import type { AppliedKind } from './user-app-kinds.js';

/** The port the server listens on (MongoDB's). */
export const tenantDatabasePort = 27017;
/** The UID the server runs as (not the runner's: nothing of an app's may own its files). */
export const tenantDatabaseUid = 10002;
/** The key of the administrator's password in the tenant database's Secret. */
export const tenantDatabasePasswordKey = 'password';
/** The administrator FerretDB creates at its first start (in the `admin` database). */
export const tenantDatabaseAdmin = 'admin';

/** Where the server's files live. */
export type TenantDatabaseStorage =
  /** A PersistentVolumeClaim (ReadWriteOnce): the data outlives the pod. */
  | { readonly kind: 'volume'; readonly storageClassName?: string; readonly sizeMebibytes?: number }
  /** An emptyDir: the data goes with the pod. Only for clusters without storage, such as a test bed. */
  | { readonly kind: 'ephemeral'; readonly sizeMebibytes?: number };

/** The platform's API pods, which the explorer connects from. */
export interface TenantDatabasePlatformPeer {
  readonly namespace: string;
  /** Labels of the API's pods (an empty set would admit every pod of that namespace). */
  readonly podLabels: Readonly<Record<string, string>>;
}

export interface TenantDatabaseProps {
  /** The tenant (the owner id every one of its apps' objects is labelled with). */
  readonly ownerId: string;
  /** The FerretDB 1.24 image (its entrypoint the `ferretdb` binary). */
  readonly image: string;
  /** The administrator's password (put in the Secret; the platform creates each database's user with it). */
  readonly adminPassword: string;
  /** Where the platform's API pods are: the only peer admitted besides the tenant's own apps. */
  readonly platform: TenantDatabasePlatformPeer;
  /**
   * Where the data lives.
   * @default { kind: 'volume', sizeMebibytes: 1024 } on the cluster's default storage class
   */
  readonly storage?: TenantDatabaseStorage;
  /**
   * Memory in MiB.
   * @default { request: 48, limit: 512 }
   */
  readonly memoryMebibytes?: { readonly request: number; readonly limit: number };
}

/** The name of every object of the tenant's database (a hash: owner ids need not be DNS labels). */
export function tenantDatabaseName(ownerId: string): string {
  return `tenant-db-${createHash('sha256').update(ownerId).digest('hex').slice(0, 16)}`;
}

/** The Service's DNS name inside the cluster. */
export function tenantDatabaseHost(ownerId: string, namespace: string): string {
  return `${tenantDatabaseName(ownerId)}.${namespace}.svc.cluster.local`;
}

export function tenantDatabaseLabels(ownerId: string): Record<string, string> {
  return {
    ...tenantDatabaseSelectorLabels(ownerId),
    [labelKeys.instance]: tenantDatabaseName(ownerId),
    [labelKeys.component]: 'tenant-database',
    [labelKeys.partOf]: managedBy,
    [labelKeys.managedBy]: managedBy,
  };
}

/** The kinds a TenantDatabase synthesizes (the RBAC Role grants them; prune and remove list them). */
export const tenantDatabaseKinds: readonly AppliedKind[] = [
  { apiVersion: 'v1', kind: 'Secret', group: '', resource: 'secrets' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', group: '', resource: 'persistentvolumeclaims' },
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps', resource: 'deployments' },
  { apiVersion: 'v1', kind: 'Service', group: '', resource: 'services' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', group: 'networking.k8s.io', resource: 'networkpolicies' },
];

function validate(props: TenantDatabaseProps): void {
  const c = 'TenantDatabase';
  check(props.ownerId.length > 0 && isLabelValue(props.ownerId), c, 'ownerId', props.ownerId, 'use at most 63 letters, digits, dashes, dots or underscores');
  check(props.image.length > 0 && !/\s/.test(props.image), c, 'image', props.image, 'give an image reference such as ghcr.io/ferretdb/ferretdb:1.24.2');
  check(props.adminPassword.length >= 16, c, 'adminPassword', '(hidden)', 'use at least 16 characters');
  check(isDnsLabel(props.platform.namespace), c, 'platform.namespace', props.platform.namespace, 'use a namespace name');
  check(Object.keys(props.platform.podLabels).length > 0, c, 'platform.podLabels', '{}', 'give the labels of the API\'s pods (an empty selector would admit every pod of the namespace)');
  const storage = props.storage;
  if (storage?.sizeMebibytes !== undefined) check(Number.isInteger(storage.sizeMebibytes) && storage.sizeMebibytes >= 16, c, 'storage.sizeMebibytes', storage.sizeMebibytes, 'use a whole number of MiB, at least 16');
  if (storage?.kind === 'volume' && storage.storageClassName !== undefined) check(isDnsName(storage.storageClassName), c, 'storage.storageClassName', storage.storageClassName, 'use a StorageClass name');
  const memory = props.memoryMebibytes;
  if (memory) check(memory.request > 0 && memory.request <= memory.limit, c, 'memoryMebibytes', `${memory.request}/${memory.limit}`, 'use a positive request no larger than the limit');
}

export class TenantDatabase extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: TenantDatabaseProps) {
    super(scope, id);
    validate(props);
    const name = tenantDatabaseName(props.ownerId);
    this.name = name;
    const labels = tenantDatabaseLabels(props.ownerId);
    const selector = tenantDatabaseSelectorLabels(props.ownerId);
    const storage = props.storage ?? { kind: 'volume' };
    const sizeMebibytes = storage.sizeMebibytes ?? 1024;
    const memory = props.memoryMebibytes ?? { request: 48, limit: 512 };
    const passwordHash = createHash('sha256').update(props.adminPassword).digest('hex').slice(0, 16);

    new kplus.k8s.KubeSecret(this, 'Admin', {
      metadata: { name, labels },
      type: 'Opaque',
      data: { [tenantDatabasePasswordKey]: Buffer.from(props.adminPassword).toString('base64') },
    });
    if (storage.kind === 'volume') {
      new kplus.k8s.KubePersistentVolumeClaim(this, 'Data', {
        metadata: { name, labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: kplus.k8s.Quantity.fromString(`${sizeMebibytes}Mi`) } },
          ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
        },
      });
    }

    const secret = kplus.Secret.fromSecretName(this, 'AdminRef', name);
    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name, labels },
      replicas: 1,
      select: false,
      // The password's hash: a new password restarts the server (FerretDB reads it at its first start).
      podMetadata: { labels, annotations: { [annotationKeys.adminHash]: passwordHash } },
      // Two servers on one SQLite directory would corrupt it: the old pod stops before the new one starts.
      strategy: kplus.DeploymentStrategy.recreate(),
      securityContext: restrictedPod(tenantDatabaseUid),
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(10),
      containers: [{
        name: 'ferretdb',
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ number: tenantDatabasePort, name: 'mongodb' }],
        securityContext: restrictedContainer(tenantDatabaseUid),
        args: [
          '--handler=sqlite', '--sqlite-url=file:/state/', '--state-dir=/state', `--listen-addr=:${tenantDatabasePort}`,
          '--debug-addr=-', '--telemetry=disable', '--log-level=warn',
        ],
        envVariables: {
          // Authentication with users of its own (FerretDB 1.24's new auth), the administrator made at first start.
          FERRETDB_TEST_ENABLE_NEW_AUTH: kplus.EnvValue.fromValue('true'),
          FERRETDB_SETUP_DATABASE: kplus.EnvValue.fromValue('admin'),
          FERRETDB_SETUP_USERNAME: kplus.EnvValue.fromValue(tenantDatabaseAdmin),
          FERRETDB_SETUP_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: tenantDatabasePasswordKey }),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(1000) },
          memory: { request: Size.mebibytes(memory.request), limit: Size.mebibytes(memory.limit) },
        },
        readiness: kplus.Probe.fromTcpSocket({ port: tenantDatabasePort, periodSeconds: Duration.seconds(1), failureThreshold: 3 }),
        liveness: kplus.Probe.fromTcpSocket({ port: tenantDatabasePort, periodSeconds: Duration.seconds(20), failureThreshold: 3 }),
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const server = deployment.containers[0];
    if (!server) throw new Error('TenantDatabase: the server container is missing');
    const data = storage.kind === 'volume'
      ? kplus.Volume.fromPersistentVolumeClaim(this, 'DataVolume', kplus.PersistentVolumeClaim.fromClaimName(this, 'DataRef', name), { name: 'state' })
      : kplus.Volume.fromEmptyDir(this, 'DataVolume', 'state', { sizeLimit: Size.mebibytes(sizeMebibytes) });
    server.mount('/state', data);
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
      JsonPatch.add('/spec/revisionHistoryLimit', 2),
      JsonPatch.add('/spec/template/spec/containers/0/terminationMessagePolicy', 'FallbackToLogsOnError'),
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
    );

    const service = new kplus.Service(this, 'Service', {
      metadata: { name, labels },
      ports: [{ name: 'mongodb', port: tenantDatabasePort, targetPort: tenantDatabasePort }],
    });
    for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);

    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name,
      labels,
      podLabels: selector,
      ingress: [{
        peers: [
          // This tenant's app pods, in this namespace, and nobody else's.
          { podLabels: userAppSelectorLabelsOfOwner(props.ownerId) },
          // The platform's API (the explorer, creating users), and nothing else of its namespace.
          { namespace: props.platform.namespace, podLabels: props.platform.podLabels },
        ],
        ports: [{ port: tenantDatabasePort }],
      }],
      // The server needs nothing: not DNS, not the internet.
      egress: [],
    });
  }
}

export interface TenantDatabaseChartProps extends TenantDatabaseProps {
  readonly namespace: string;
}

/** The tenant database's objects for the API to apply (a fresh App per call, no disk I/O). */
export function synthTenantDatabase(props: TenantDatabaseChartProps): ManifestObject[] {
  check(isDnsLabel(props.namespace), 'TenantDatabase', 'namespace', props.namespace, 'use a namespace name');
  const chart = new Chart(new App(), tenantDatabaseName(props.ownerId), { namespace: props.namespace, disableResourceNameHashes: true });
  new TenantDatabase(chart, 'Resource', props);
  return chart.toJson() as ManifestObject[];
}
