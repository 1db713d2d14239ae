/**
 * What the platform applied for its apps, as the cluster holds it now: one list+watch per kind a
 * UserApp makes, keeping each object's name, labels and applied hash only (no code, no secrets). A
 * reconcile pass asks it whether an app's synthesized objects are all there, unchanged, and nothing
 * else of the app's is (besides old code and env a ReplicaSet may still use); if so the pass writes
 * nothing for that app. An object deleted, or edited by anyone else (a foreign field manager), sends
 * the app down the full apply-and-prune path again. It also answers which apps have objects, from memory.
 */
import { createHash } from 'node:crypto';
import { annotationKeys, labelKeys, managedBy, userAppKinds, type ManifestObject } from '../../constructs/index.js';
import type { KubeClient } from './client.js';
import { fieldManager } from './apply.js';
import { Informer, type ChangeType } from './informer.js';
import type { Meta } from './objects.js';

interface Kept {
  metadata: Meta & { managedFields?: { manager?: string; subresource?: string }[] };
}

/**
 * Whether someone besides the platform changed the object: a field manager that is not the platform's
 * own, not the controllers' (the Deployment controller writes its revision annotation) and not a
 * status or scale writer (sleep and wake own the replica count). `kubectl edit`, `patch` or `apply`
 * by hand all leave one, until the platform's next apply takes their fields back.
 */
function editedByOthers(object: Kept): boolean {
  return (object.metadata.managedFields ?? []).some((entry) => entry.manager !== fieldManager && entry.manager !== 'kube-controller-manager'
    && entry.subresource !== 'status' && entry.subresource !== 'scale');
}

/** The hash of an object as the platform applies it (without the hash annotation itself). */
export function appliedHash(object: ManifestObject): string {
  return createHash('sha256').update(JSON.stringify(object)).digest('hex').slice(0, 20);
}

/** An applied object as the cache knows it: `Kind/name` and its applied hash. */
export interface AppliedKey {
  readonly key: string;
  readonly hash: string;
}

/** What `upToDate` compares: each object's `Kind/name` and the hash it is applied with. */
export function appliedKeys(objects: readonly ManifestObject[]): AppliedKey[] {
  return objects.map((object) => ({ key: `${object.kind}/${object.metadata.name}`, hash: appliedHash(object) }));
}

/** The object with its applied hash in its annotations. */
export function withAppliedHash(object: ManifestObject): ManifestObject {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [annotationKeys.appliedHash]: appliedHash(object) } } };
}

const keep = (object: Kept): Kept => ({
  metadata: {
    name: object.metadata.name, ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
    labels: { [labelKeys.appId]: object.metadata.labels?.[labelKeys.appId] ?? '' },
    // An object edited by hand keeps no hash here, so the next pass applies it again.
    annotations: { [annotationKeys.appliedHash]: editedByOthers(object) ? '' : object.metadata.annotations?.[annotationKeys.appliedHash] ?? '' },
  },
});

/** Kinds whose old objects a ReplicaSet may still use, so an extra one is not drift. */
const versioned = new Set(['ConfigMap', 'Secret']);

export class AppliedObjects {
  private readonly informers: Informer<Kept>[] = [];
  /** app id → `Kind/name` → applied hash, kept by the watches. */
  private readonly byApp = new Map<string, Map<string, string>>();

  constructor(client: KubeClient, namespace: string, log: (message: string) => void) {
    const labelSelector = `${labelKeys.name}=user-app,${labelKeys.managedBy}=${managedBy}`;
    for (const kind of userAppKinds) {
      const base = kind.apiVersion === 'v1' ? '/api/v1' : `/apis/${kind.apiVersion}`;
      this.informers.push(new Informer<Kept>({
        client, path: `${base}/namespaces/${namespace}/${kind.resource}`, labelSelector, keep,
        onChange: (type, object) => this.index(type, kind.kind, object), onError: (message) => log(`applied objects: ${message}`),
      }));
    }
  }

  private index(type: ChangeType, kind: string, object: Kept): void {
    const appId = object.metadata.labels?.[labelKeys.appId];
    if (!appId) return;
    const key = `${kind}/${object.metadata.name}`;
    let objects = this.byApp.get(appId);
    if (type === 'deleted') {
      objects?.delete(key);
      if (objects?.size === 0) this.byApp.delete(appId);
      return;
    }
    if (!objects) this.byApp.set(appId, (objects = new Map()));
    objects.set(key, object.metadata.annotations?.[annotationKeys.appliedHash] ?? '');
  }

  async start(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.start()));
  }

  stop(): void {
    for (const informer of this.informers) informer.stop();
  }

  /** Every app with at least one object in the namespace. */
  appIds(): string[] {
    return [...this.byApp.keys()];
  }

  /** Whether the cluster holds exactly these objects of the app, with these hashes, and no other but old code and env. */
  upToDate(appId: string, objects: readonly AppliedKey[]): boolean {
    const held = this.byApp.get(appId);
    if (!held) return false;
    const wanted = new Set<string>();
    for (const { key, hash } of objects) {
      if (held.get(key) !== hash) return false;
      wanted.add(key);
    }
    for (const key of held.keys()) {
      if (!wanted.has(key) && !versioned.has(key.slice(0, key.indexOf('/')))) return false;
    }
    return true;
  }
}
