/**
 * One user app's objects in the cluster: apply the synthesized set and prune what it no longer
 * contains, or remove all of it. Scoped by the app-id label and the kinds a UserApp can produce.
 */
import { labelKeys, managedBy, userAppKinds, type ManifestObject } from '../../constructs/index.js';
import { toDomainError } from './errors.js';
import { applyObjects, type ApplyResult, type ObjectRef } from './apply.js';
import type { KubeClient } from './client.js';
import { prune, removeAll, type PruneScope } from './prune.js';

export function userAppScope(namespace: string, appId: string): PruneScope {
  return {
    namespace,
    labelSelector: `${labelKeys.appId}=${appId},${labelKeys.managedBy}=${managedBy}`,
    kinds: userAppKinds,
  };
}

export interface AppApplyResult extends ApplyResult {
  readonly pruned: readonly ObjectRef[];
}

/** Applies an app's synthesized objects, then deletes its objects that are no longer desired. */
export async function applyUserApp(client: KubeClient, namespace: string, appId: string, objects: readonly ManifestObject[]): Promise<AppApplyResult> {
  const result = await applyObjects(client, objects);
  const pruned = await prune(client, userAppScope(namespace, appId), objects);
  return { ...result, pruned };
}

/** Deletes every object of the app; its ReplicaSets and Pods follow through garbage collection. */
export function removeUserApp(client: KubeClient, namespace: string, appId: string): Promise<ObjectRef[]> {
  return removeAll(client, userAppScope(namespace, appId));
}

/** The ids of every app with at least one object in the namespace (of any kind a UserApp makes). */
export async function listAppIds(client: KubeClient, namespace: string): Promise<string[]> {
  const ids = new Set<string>();
  await Promise.all(userAppKinds.map(async (kind) => {
    const base = kind.apiVersion === 'v1' ? '/api/v1' : `/apis/${kind.apiVersion}`;
    try {
      const list = await client.objects.getJson<{ items?: { metadata: { labels?: Record<string, string> } }[] }>(
        `${base}/namespaces/${namespace}/${kind.resource}`, { labelSelector: `${labelKeys.name}=user-app,${labelKeys.managedBy}=${managedBy}` },
      );
      for (const item of list.items ?? []) {
        const id = item.metadata.labels?.[labelKeys.appId];
        if (id) ids.add(id);
      }
    } catch (error) {
      throw toDomainError(error, `list ${kind.kind} in ${namespace}`);
    }
  }));
  return [...ids];
}
