/**
 * Deleting what is no longer desired. `prune` lists, for each kind the platform manages, the objects
 * carrying an app's labels and deletes those not in the desired set; `removeAll` deletes every one.
 * Only the listed kinds are touched and only by label, so objects the platform does not manage are
 * never at risk. Dependents (ReplicaSets, Pods) go with their Deployment through garbage collection.
 */
import type * as k8s from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { describeRef, type ObjectRef } from './apply.js';
import { kubeCode, toDomainError } from './errors.js';

export interface ManagedKind {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface PruneScope {
  readonly namespace: string;
  /** A label selector matching exactly one app's objects, e.g. `fastapi-platform.io/app-id=abc`. */
  readonly labelSelector: string;
  readonly kinds: readonly ManagedKind[];
}

function key(ref: { apiVersion: string; kind: string; name: string }): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.name}`;
}

/** Lists the scope's objects, all kinds in parallel. */
export async function listManaged(client: KubeClient, scope: PruneScope): Promise<ObjectRef[]> {
  const lists = await Promise.all(scope.kinds.map(async ({ apiVersion, kind }) => {
    let list: k8s.KubernetesListObject<k8s.KubernetesObject>;
    try {
      list = await client.objects.list(apiVersion, kind, scope.namespace, undefined, undefined, undefined, undefined, scope.labelSelector);
    } catch (error) {
      throw toDomainError(error, `list ${kind} in ${scope.namespace}`);
    }
    return list.items
      .filter((item) => item.metadata?.name && !item.metadata.deletionTimestamp)
      .map((item): ObjectRef => ({ apiVersion, kind, namespace: scope.namespace, name: item.metadata?.name ?? '' }));
  }));
  return lists.flat();
}

async function deleteRef(client: KubeClient, ref: ObjectRef): Promise<void> {
  try {
    await client.objects.delete(
      { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } },
      undefined, undefined, undefined, undefined, 'Background',
    );
  } catch (error) {
    // Someone else deleting it first is the outcome we wanted.
    if (kubeCode(error) !== 404) throw toDomainError(error, `delete ${describeRef(ref)}`);
  }
}

/** Deletes the scope's objects that are not in `desired`; returns what it deleted. */
export async function prune(client: KubeClient, scope: PruneScope, desired: readonly { apiVersion: string; kind: string; metadata: { name: string } }[]): Promise<ObjectRef[]> {
  const keep = new Set(desired.map((o) => key({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name })));
  const stale = (await listManaged(client, scope)).filter((ref) => !keep.has(key(ref)));
  await Promise.all(stale.map((ref) => deleteRef(client, ref)));
  return stale;
}

/** Deletes every object in the scope; returns what it deleted. */
export async function removeAll(client: KubeClient, scope: PruneScope): Promise<ObjectRef[]> {
  return prune(client, scope, []);
}
