/**
 * Server-side apply of synthesized objects under the platform's one field manager.
 *
 * Conflicts are handled deliberately: each object is first applied without force. If another field
 * manager (an operator's `kubectl edit`, say) owns a field the platform sets, the apiserver answers
 * 409 and the conflicting managers and fields are recorded; the platform then re-applies with force,
 * because its desired state is the truth for the objects it manages. The caller receives the
 * takeovers so it can report them instead of silently overriding a human.
 */
import type * as k8s from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { kubeCode, kubeStatus, toDomainError } from './errors.js';

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

/** Applies `objects` in order (dependencies first); stops at the first object the cluster refuses. */
export async function applyObjects(client: KubeClient, objects: readonly ApplyObject[]): Promise<ApplyResult> {
  const applied: AppliedObject[] = [];
  const takeovers: Takeover[] = [];
  for (const object of objects) {
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
    applied.push({
      ...ref,
      resourceVersion: result.metadata?.resourceVersion ?? '',
      uid: result.metadata?.uid ?? '',
      ...(generation === undefined ? {} : { generation }),
    });
  }
  return { applied, takeovers };
}
