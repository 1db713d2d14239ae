/**
 * One tenant's database server in the cluster (constructs/tenant-database.ts): apply its objects,
 * read where it stands (its pod's state in words, and its Service's address), put it to sleep and wake
 * it (its replica count, through the scale subresource under the sleep's field manager, as apps'), and
 * remove all of it. Scoped by the tenant-database and owner labels and the kinds a TenantDatabase makes.
 * Waking needs only what the gateway's Role grants (Deployments and their scale, in the apps namespace).
 */
import { labelKeys, managedBy, tenantDatabaseKinds, tenantDatabaseName, type ManifestObject } from '../../constructs/index.js';
import { applyObjects, type ObjectRef } from './apply.js';
import type { KubeClient } from './client.js';
import { UnavailableError } from '../errors.js';
import { kubeCode, toDomainError } from './errors.js';
import type { DeploymentJson, PodJson } from './objects.js';
import { removeAll, type PruneScope } from './prune.js';
import { scaleDeployment } from './scale.js';

function scope(namespace: string, ownerId: string): PruneScope {
  return {
    namespace,
    labelSelector: `${labelKeys.name}=tenant-database,${labelKeys.owner}=${ownerId},${labelKeys.managedBy}=${managedBy}`,
    kinds: tenantDatabaseKinds,
  };
}

/**
 * Applies the tenant database's objects. Nothing is pruned: a claim left by a change of storage keeps
 * the tenant's data until the tenant is removed.
 */
export async function applyTenantDatabase(client: KubeClient, objects: readonly ManifestObject[]): Promise<void> {
  await applyObjects(client, objects);
}

/** Deletes every object of the tenant's database, its data's claim included. */
export function removeTenantDatabase(client: KubeClient, namespace: string, ownerId: string): Promise<ObjectRef[]> {
  return removeAll(client, scope(namespace, ownerId));
}

export interface TenantDatabaseState {
  /** The server's pod is Ready. */
  readonly ready: boolean;
  /** The replicas its Deployment wants (0: asleep; null: no Deployment). */
  readonly replicas: number | null;
  /** Why it cannot start, when the cluster says so (image, crash loop, scheduling); null while it is only starting. */
  readonly failure: string | null;
  /** What it is doing, in words (for a message when it takes too long). */
  readonly detail: string;
  /** The Service's ClusterIP, where the platform reaches the server. */
  readonly clusterIp: string | null;
}

/** Waiting reasons that will not resolve by waiting. */
const stuck = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

function describePod(pod: PodJson): { failure: string | null; detail: string } {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return { failure: `it cannot be scheduled: ${scheduled.message ?? 'no node fits it'}`, detail: 'unschedulable' };
  const container = pod.status?.containerStatuses?.[0];
  const waiting = container?.state?.waiting;
  const last = container?.lastState?.terminated;
  if (waiting?.reason && stuck.has(waiting.reason)) {
    const why = last?.message?.trim() || waiting.message || '';
    return { failure: `${waiting.reason}${why ? `: ${why.split('\n').slice(-3).join(' ').slice(0, 400)}` : ''}`, detail: waiting.reason };
  }
  if (last?.reason === 'OOMKilled') return { failure: 'it ran out of memory (OOMKilled)', detail: 'OOMKilled' };
  return { failure: null, detail: waiting?.reason ?? (container?.state?.running ? 'running, not ready yet' : pod.status?.phase ?? 'pending') };
}

export async function tenantDatabaseState(client: KubeClient, namespace: string, ownerId: string): Promise<TenantDatabaseState> {
  const name = tenantDatabaseName(ownerId);
  const selector = `${labelKeys.name}=tenant-database,${labelKeys.owner}=${ownerId}`;
  try {
    const [deployment, pods, services] = await Promise.all([
      client.objects.getJson<DeploymentJson>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`).catch((error: unknown) => {
        if (kubeCode(error) === 404) return null;
        throw error;
      }),
      client.objects.getJson<{ items?: PodJson[] }>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: selector }),
      client.objects.getJson<{ items?: { metadata: { name: string }; spec?: { clusterIP?: string } }[] }>(`/api/v1/namespaces/${namespace}/services`, { labelSelector: selector }),
    ]);
    const clusterIp = services.items?.find((s) => s.metadata.name === name)?.spec?.clusterIP ?? null;
    if (!deployment) return { ready: false, replicas: null, failure: null, detail: 'not created yet', clusterIp };
    const replicas = deployment.spec?.replicas ?? 1;
    if (replicas === 0) return { ready: false, replicas, failure: null, detail: 'asleep', clusterIp };
    const live = (pods.items ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const readyPod = live.find((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (readyPod) return { ready: true, replicas, failure: null, detail: 'ready', clusterIp };
    const newest = live.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
    if (!newest) return { ready: false, replicas, failure: null, detail: 'no pod yet', clusterIp };
    return { ready: false, replicas, ...describePod(newest), clusterIp };
  } catch (error) {
    throw toDomainError(error, `read the state of tenant database ${name}`);
  }
}

/** Puts the tenant's server to sleep (zero replicas; its volume stays). False when it does not exist. */
export function sleepTenantDatabase(client: KubeClient, namespace: string, ownerId: string): Promise<boolean> {
  return scaleDeployment(client, namespace, tenantDatabaseName(ownerId), 0);
}

/** The tenants that have a server, and the replicas each wants (what the idle sweep looks at). */
export async function tenantDatabaseReplicas(client: KubeClient, namespace: string): Promise<Map<string, number>> {
  try {
    const list = await client.objects.getJson<{ items?: DeploymentJson[] }>(`/apis/apps/v1/namespaces/${namespace}/deployments`, {
      labelSelector: `${labelKeys.name}=tenant-database,${labelKeys.managedBy}=${managedBy}`,
    });
    const found = new Map<string, number>();
    for (const deployment of list.items ?? []) {
      const owner = deployment.metadata.labels?.[labelKeys.owner];
      if (owner && !deployment.metadata.deletionTimestamp) found.set(owner, deployment.spec?.replicas ?? 1);
    }
    return found;
  } catch (error) {
    throw toDomainError(error, 'list tenant database servers');
  }
}

/**
 * Wakes the tenant's server (one replica) and waits until its pod is ready, from the Deployment alone
 * (all the gateway may read): false when the tenant has no server. Fails with the Deployment's own
 * reason when it has one (a pod it cannot create, a rollout past its deadline), and after `timeoutMs`.
 */
export async function wakeTenantDatabase(client: KubeClient, namespace: string, ownerId: string, timeoutMs: number): Promise<boolean> {
  const name = tenantDatabaseName(ownerId);
  if (!(await scaleDeployment(client, namespace, name, 1))) return false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let deployment: DeploymentJson;
    try {
      deployment = await client.objects.getJson<DeploymentJson>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
    } catch (error) {
      if (kubeCode(error) === 404) return false;
      throw toDomainError(error, `read tenant database ${name}`);
    }
    const current = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
    if (current && (deployment.spec?.replicas ?? 1) > 0 && (deployment.status?.readyReplicas ?? 0) > 0) return true;
    const conditions = deployment.status?.conditions ?? [];
    const failed = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True')
      ?? conditions.find((c) => c.type === 'Progressing' && c.status === 'False');
    if (current && failed) throw new UnavailableError(`Your database server cannot start: ${failed.message ?? failed.reason ?? 'its rollout failed'}.`, { details: { server: name } });
    if (Date.now() > deadline) throw new UnavailableError(`Your database server did not become ready within ${Math.round(timeoutMs / 1000)} s of waking.`, { details: { server: name } });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
