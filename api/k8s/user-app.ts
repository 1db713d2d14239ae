/**
 * One user app's objects in the cluster: apply the synthesized set and prune what it no longer
 * contains, or remove all of it. Scoped by the app-id label and the kinds a UserApp can produce.
 */
import { labelKeys, managedBy, userAppKinds, type ManifestObject } from '../../constructs/index.js';
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
