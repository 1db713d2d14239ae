/**
 * The platform's one shared view of its apps' workloads: a single watch per kind on the apps
 * namespace (Deployments, ReplicaSets, Pods of user apps, and Events), however many people follow
 * progress or status. Objects are grouped by app id (from the app-id label; an Event by the object it
 * is about), and listeners hear which app changed.
 */
import { labelKeys } from '../../constructs/index.js';
import type { KubeClient } from './client.js';
import { Informer } from './informer.js';
import type { DeploymentJson, EventJson, PodJson, ReplicaSetJson } from './objects.js';

export interface AppWorkload {
  readonly deployment: DeploymentJson | undefined;
  readonly replicaSets: readonly ReplicaSetJson[];
  readonly pods: readonly PodJson[];
  /** Oldest first. */
  readonly events: readonly EventJson[];
}

export type WatchedKind = 'Deployment' | 'ReplicaSet' | 'Pod' | 'Event';

/** Events name their object, not its labels: `app-<id>` or `app-<id>-<hash>[-<hash>]`. */
const objectName = /^app-([a-z0-9]{10})(?:-|$)/;

function appIdOf(object: { metadata: { labels?: Record<string, string> } }): string | undefined {
  return object.metadata.labels?.[labelKeys.appId];
}

export function eventTime(event: EventJson): string {
  return event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp ?? '';
}

export class AppWatch {
  private readonly deployments: Informer<DeploymentJson>;
  private readonly replicaSets: Informer<ReplicaSetJson>;
  private readonly pods: Informer<PodJson>;
  private readonly events: Informer<EventJson>;
  private readonly listeners = new Set<(appId: string, kind: WatchedKind) => void>();
  private lastError: string | null = null;

  constructor(client: KubeClient, readonly namespace: string, log: (message: string) => void) {
    const selector = `${labelKeys.name}=user-app`;
    const onError = (message: string) => {
      this.lastError = message;
      log(message);
    };
    const emit = <T extends { metadata: { labels?: Record<string, string> } }>(kind: WatchedKind) => (_type: string, object: T) => {
      const appId = kind === 'Event' ? this.appOfEvent(object as unknown as EventJson) : appIdOf(object);
      if (appId) for (const listener of this.listeners) listener(appId, kind);
    };
    // managedFields are most of a Deployment's or ReplicaSet's bytes and nothing here reads them.
    const keep = <T extends { metadata: object }>(object: T): T => ({ ...object, metadata: { ...object.metadata, managedFields: undefined } });
    const base = { client, onError, keep };
    this.deployments = new Informer({ ...base, path: `/apis/apps/v1/namespaces/${namespace}/deployments`, labelSelector: selector, onChange: emit<DeploymentJson>('Deployment') });
    this.replicaSets = new Informer({ ...base, path: `/apis/apps/v1/namespaces/${namespace}/replicasets`, labelSelector: selector, onChange: emit<ReplicaSetJson>('ReplicaSet') });
    this.pods = new Informer({ ...base, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: selector, onChange: emit<PodJson>('Pod') });
    this.events = new Informer({ ...base, path: `/api/v1/namespaces/${namespace}/events`, onChange: emit<EventJson>('Event') });
  }

  /** Resolves once every kind is listed; rejects after `timeoutMs` with the last error (an unreachable cluster). */
  async start(timeoutMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the apps namespace ${this.namespace} could not be watched within ${timeoutMs / 1000} s: ${this.lastError ?? 'no answer'}`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.deployments.start(), this.replicaSets.start(), this.pods.start(), this.events.start()]), timeout]);
    } catch (error) {
      this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  stop(): void {
    for (const informer of [this.deployments, this.replicaSets, this.pods, this.events]) informer.stop();
  }

  onChange(listener: (appId: string, kind: WatchedKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private appOfEvent(event: EventJson): string | undefined {
    const { kind, name = '' } = event.involvedObject;
    const owner = kind === 'Pod' ? this.pods.get(name) : kind === 'ReplicaSet' ? this.replicaSets.get(name) : kind === 'Deployment' ? this.deployments.get(name) : undefined;
    return (owner ? appIdOf(owner) : undefined) ?? objectName.exec(name)?.[1];
  }

  /** The apps that have a Deployment now. */
  deploymentAppIds(): string[] {
    return this.deployments.list().map((d) => appIdOf(d)).filter((id): id is string => id !== undefined);
  }

  workload(appId: string): AppWorkload {
    const mine = <T extends { metadata: { labels?: Record<string, string> } }>(list: T[]) => list.filter((o) => appIdOf(o) === appId);
    const names = new Set<string>();
    const deployment = this.deployments.get(`app-${appId}`);
    const replicaSets = mine(this.replicaSets.list());
    const pods = mine(this.pods.list());
    for (const o of [...(deployment ? [deployment] : []), ...replicaSets, ...pods]) names.add(o.metadata.name);
    const events = this.events.list()
      .filter((e) => names.has(e.involvedObject.name ?? '') || this.appOfEvent(e) === appId)
      .sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
    return { deployment: deployment && appIdOf(deployment) === appId ? deployment : undefined, replicaSets, pods, events };
  }
}
