/**
 * One tenant's database server in the cluster (constructs/tenant-database.ts): apply its objects,
 * read where it stands (its pod's state in words, and its Service's address), and remove all of it.
 * Scoped by the tenant-database and owner labels and the kinds a TenantDatabase makes.
 */
import { labelKeys, managedBy, tenantDatabaseKinds, tenantDatabaseName, type ManifestObject } from '../../constructs/index.js';
import { applyObjects, type ObjectRef } from './apply.js';
import type { KubeClient } from './client.js';
import { kubeCode, toDomainError } from './errors.js';
import type { DeploymentJson, PodJson } from './objects.js';
import { removeAll, type PruneScope } from './prune.js';

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
    if (!deployment) return { ready: false, failure: null, detail: 'not created yet', clusterIp };
    const live = (pods.items ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const readyPod = live.find((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (readyPod) return { ready: true, failure: null, detail: 'ready', clusterIp };
    const newest = live.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
    if (!newest) return { ready: false, failure: null, detail: 'no pod yet', clusterIp };
    return { ready: false, ...describePod(newest), clusterIp };
  } catch (error) {
    throw toDomainError(error, `read the state of tenant database ${name}`);
  }
}
