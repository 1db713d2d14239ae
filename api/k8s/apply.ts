/**
 * Server-side apply of synthesized objects under the platform's one field manager.
 *
 * Conflicts are handled deliberately: each object is first applied without force. If another field
 * manager (an operator's `kubectl edit`, say) owns a field the platform sets, the apiserver answers
 * 409 and the conflicting managers and fields are recorded; the platform then re-applies with force,
 * because its desired state is the truth for the objects it manages. The caller receives the
 * takeovers so it can report them instead of silently overriding a human.
 *
 * Objects are applied in waves, each wave in parallel: namespaces and CRDs, then everything that is
 * not a workload (ConfigMaps, Secrets, Services, routes, NetworkPolicies), then workloads. So a new
 * pod never starts before its code and env exist, nor before its NetworkPolicy fences it.
 */
import type * as k8s from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { kubeCode, kubeStatus, toDomainError } from './errors.js';
import { failpoint } from './failpoints.js';

export const fieldManager = 'fastapi-platform';

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ApplyObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface AppliedObject extends ObjectRef {
  readonly resourceVersion: string;
  readonly uid: string;
  readonly generation?: number;
}

/** A field the platform took over from another manager, with who held it. */
export interface Takeover {
  readonly object: ObjectRef;
  readonly conflicts: readonly string[];
}

export interface ApplyResult {
  readonly applied: readonly AppliedObject[];
  readonly takeovers: readonly Takeover[];
}

function refOf(object: ApplyObject): ObjectRef {
  const { namespace } = object.metadata;
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, ...(namespace ? { namespace } : {}) };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function patch(client: KubeClient, object: ApplyObject, force: boolean): Promise<k8s.KubernetesObject> {
  return client.objects.apply(object, fieldManager, force);
}

const firstKinds = new Set(['Namespace', 'CustomResourceDefinition']);
const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

function wave(object: ApplyObject): number {
  if (firstKinds.has(object.kind)) return 0;
  return workloadKinds.has(object.kind) ? 2 : 1;
}

async function applyOne(client: KubeClient, object: ApplyObject, takeovers: Takeover[]): Promise<AppliedObject> {
  const ref = refOf(object);
  let result: k8s.KubernetesObject;
  try {
    try {
      result = await patch(client, object, false);
    } catch (error) {
      if (kubeCode(error) !== 409) throw error;
      const causes = kubeStatus(error)?.details?.causes ?? [];
      takeovers.push({ object: ref, conflicts: causes.map((c) => `${c.field ?? '?'}: ${c.message ?? c.reason ?? 'conflict'}`) });
      result = await patch(client, object, true);
    }
  } catch (error) {
    throw toDomainError(error, `apply ${describeRef(ref)}`);
  }
  const generation = result.metadata?.generation;
  return {
    ...ref,
    resourceVersion: result.metadata?.resourceVersion ?? '',
    uid: result.metadata?.uid ?? '',
    ...(generation === undefined ? {} : { generation }),
  };
}

/**
 * Applies `objects` wave by wave; `applied` keeps the input order. The first refusal stops the next
 * waves and is thrown as a domain error naming the object.
 */
export async function applyObjects(client: KubeClient, objects: readonly ApplyObject[]): Promise<ApplyResult> {
  const applied = new Array<AppliedObject>(objects.length);
  const takeovers: Takeover[] = [];
  for (const current of [0, 1, 2]) {
    const indexes = objects.map((o, i) => (wave(o) === current ? i : -1)).filter((i) => i >= 0);
    const results = await Promise.allSettled(indexes.map((i) => applyOne(client, objects[i] as ApplyObject, takeovers)));
    results.forEach((r, k) => {
      if (r.status === 'fulfilled') applied[indexes[k] as number] = r.value;
    });
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    failpoint(`apply-after-wave-${current}`);
  }
  return { applied, takeovers };
}
