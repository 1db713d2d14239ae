/**
 * One user app's objects in the cluster: apply the synthesized set and prune what it no longer
 * contains, or remove all of it. Scoped by the app-id label and the kinds a UserApp can produce.
 *
 * A version's code ConfigMap and env Secret are immutable and named by content, so pruning keeps every
 * one that a ReplicaSet of the app still mounts: the pods of the version that serves (and any
 * ReplicaSet kept for rollback) never lose their code or env, also when a newer rollout fails.
 */
import { labelKeys, managedBy, userAppKinds, type ManifestObject } from '../../constructs/index.js';
import { toDomainError } from './errors.js';
import { applyObjects, type ApplyResult, type ObjectRef } from './apply.js';
import type { KubeClient } from './client.js';
import { prune, removeAll, type PruneScope } from './prune.js';
import { withAppliedHash } from './applied-objects.js';

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

interface PodTemplateRefs {
  volumes?: { configMap?: { name?: string }; secret?: { secretName?: string }; projected?: { sources?: { configMap?: { name?: string }; secret?: { name?: string } }[] } }[];
  containers?: { envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string } }[]; env?: { valueFrom?: { configMapKeyRef?: { name?: string }; secretKeyRef?: { name?: string } } }[] }[];
}

/** The ConfigMaps and Secrets a pod template mounts or reads env from. */
export function templateReferences(spec: PodTemplateRefs | undefined): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (set: Set<string>, name: string | undefined) => { if (name) set.add(name); };
  for (const volume of spec?.volumes ?? []) {
    add(configMaps, volume.configMap?.name);
    add(secrets, volume.secret?.secretName);
    for (const source of volume.projected?.sources ?? []) {
      add(configMaps, source.configMap?.name);
      add(secrets, source.secret?.name);
    }
  }
  for (const container of spec?.containers ?? []) {
    for (const from of container.envFrom ?? []) {
      add(configMaps, from.configMapRef?.name);
      add(secrets, from.secretRef?.name);
    }
    for (const env of container.env ?? []) {
      add(configMaps, env.valueFrom?.configMapKeyRef?.name);
      add(secrets, env.valueFrom?.secretKeyRef?.name);
    }
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

/** The app's ConfigMaps and Secrets that one of its ReplicaSets still uses, as objects to keep. */
async function inUse(client: KubeClient, namespace: string, appId: string): Promise<{ apiVersion: string; kind: string; metadata: { name: string } }[]> {
  let items: { spec?: { template?: { spec?: PodTemplateRefs } } }[];
  try {
    const list = await client.objects.getJson<{ items?: typeof items }>(`/apis/apps/v1/namespaces/${namespace}/replicasets`, { labelSelector: `${labelKeys.appId}=${appId}` });
    items = list.items ?? [];
  } catch (error) {
    throw toDomainError(error, `list the ReplicaSets of app ${appId}`);
  }
  return items.flatMap((rs) => {
    const refs = templateReferences(rs.spec?.template?.spec);
    return [
      ...refs.configMaps.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })),
      ...refs.secrets.map((name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name } })),
    ];
  });
}

/**
 * Applies an app's synthesized objects (each with its applied hash, see applied-objects.ts), then deletes its objects that are no longer desired, except
 * the code and env that a ReplicaSet of the app still uses (those go once no ReplicaSet does).
 */
export async function applyUserApp(client: KubeClient, namespace: string, appId: string, synthesized: readonly ManifestObject[]): Promise<AppApplyResult> {
  const objects = synthesized.map(withAppliedHash);
  const result = await applyObjects(client, objects);
  const pruned = await prune(client, userAppScope(namespace, appId), [...objects, ...await inUse(client, namespace, appId)]);
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
