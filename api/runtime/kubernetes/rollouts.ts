/**
 * Each app's current rollout in the Kubernetes runtime: its progress events, re-assessed from the
 * shared watch whenever one of the app's objects changes (no polling, no per-request listing), until
 * it is ready or failed. A newer rollout of the same app replaces the older one.
 */
import { annotationKeys } from '../../../constructs/index.js';
import type { AppWatch } from '../../k8s/index.js';
import { Feed } from '../feed.js';
import type { ProgressEvent } from '../types.js';
import { assess, type Assessment, type RolloutTarget } from './assess.js';

interface Rollout {
  readonly version: number;
  readonly feed: Feed<ProgressEvent>;
  target: RolloutTarget | null;
  last: string;
  outcome: Assessment | null;
}

export class Rollouts {
  private readonly rollouts = new Map<string, Rollout>();
  /** Each app's wanted replicas as last seen: a change to or from 0 is a sleep or a wake. */
  private readonly scales = new Map<string, number>();
  private readonly unsubscribe: () => void;
  /** Told the time from a watch notification to the progress event it caused (bench/deploy listens). */
  private readonly reactionListeners = new Set<(ms: number) => void>();

  constructor(private readonly watch: AppWatch) {
    this.unsubscribe = watch.onChange((appId) => {
      this.followScale(appId);
      this.update(appId, performance.now());
    });
  }

  private push(rollout: Rollout, phase: ProgressEvent['phase'], message: string, failure?: ProgressEvent['failure']): void {
    rollout.feed.push({ phase, version: rollout.version, at: new Date().toISOString(), message, ...(failure ? { failure } : {}) });
  }

  begin(appId: string, version: number): void {
    this.rollouts.get(appId)?.feed.close();
    const rollout: Rollout = { version, feed: new Feed(100), target: null, last: '', outcome: null };
    this.rollouts.set(appId, rollout);
    this.push(rollout, 'validating', `synthesizing version ${version}'s objects`);
  }

  applying(appId: string): void {
    const rollout = this.rollouts.get(appId);
    if (rollout) this.push(rollout, 'applying', 'applying the objects (server-side apply)');
  }

  applied(appId: string, target: RolloutTarget): void {
    const rollout = this.rollouts.get(appId);
    if (!rollout) return;
    rollout.target = target;
    this.update(appId);
  }

  /** The rollout ended before the cluster had anything to say (synthesis or apply failed). */
  fail(appId: string, reason: 'apply-failed', message: string): void {
    const rollout = this.rollouts.get(appId);
    if (!rollout || rollout.outcome) return;
    rollout.outcome = { phase: 'failed', message, failure: { reason, message, file: null, line: null } };
    this.push(rollout, 'failed', message, rollout.outcome.failure);
    rollout.feed.close();
  }

  /**
   * Sleeping and waking, whoever scaled (the API's sweep, a gateway replica): going to zero replicas
   * is a `sleeping` event; coming back, unless a deploy's rollout is in flight (it scales up itself),
   * a `waking` one followed like a rollout of the template the Deployment holds.
   */
  private followScale(appId: string): void {
    const deployment = this.watch.workload(appId).deployment;
    if (!deployment) return void this.scales.delete(appId);
    const now = deployment.spec?.replicas ?? 1;
    const before = this.scales.get(appId);
    this.scales.set(appId, now);
    if (before === undefined || (before === 0) === (now === 0)) return;
    const current = this.rollouts.get(appId);
    if (now > 0 && current && !current.outcome) return;
    const version = Number(deployment.metadata.annotations?.[annotationKeys.version]) || 0;
    current?.feed.close();
    const rollout: Rollout = { version, feed: new Feed(100), target: null, last: '', outcome: null };
    this.rollouts.set(appId, rollout);
    if (now === 0) {
      this.push(rollout, 'sleeping', 'no requests for a while: the app sleeps until the next one');
      rollout.outcome = { phase: 'sleeping', message: 'asleep' };
      rollout.feed.close();
      return;
    }
    this.push(rollout, 'waking', `a request arrived: starting version ${version} again`);
    const template = deployment.spec?.template?.metadata?.annotations ?? {};
    rollout.target = { codeHash: template[annotationKeys.codeHash] ?? '', envHash: template[annotationKeys.envHash] ?? '', generation: deployment.metadata.generation ?? 1 };
  }

  private update(appId: string, noticedAt?: number): void {
    const rollout = this.rollouts.get(appId);
    if (!rollout?.target || rollout.outcome) return;
    const now = assess(this.watch.workload(appId), rollout.target);
    const key = `${now.phase}:${now.message}`;
    if (key === rollout.last) return;
    rollout.last = key;
    this.push(rollout, now.phase, now.message, now.failure);
    if (noticedAt !== undefined) for (const listener of this.reactionListeners) listener(performance.now() - noticedAt);
    if (now.phase === 'ready' || now.phase === 'failed') {
      rollout.outcome = now;
      rollout.feed.close();
    }
  }

  /** The rollout's events from its start, then live ones, ending with ready or failed. */
  async *progress(appId: string, signal?: AbortSignal): AsyncGenerator<ProgressEvent> {
    const rollout = this.rollouts.get(appId);
    if (!rollout) return;
    for await (const entry of rollout.feed.follow(0, signal)) {
      yield entry.item;
      if (entry.item.phase === 'ready' || entry.item.phase === 'failed' || entry.item.phase === 'sleeping') return;
    }
  }

  /** Calls `listener` with each watch-to-progress delay until the returned function is called. */
  observeReactions(listener: (ms: number) => void): () => void {
    this.reactionListeners.add(listener);
    return () => this.reactionListeners.delete(listener);
  }

  /** The app's rollout: in flight (no outcome yet), or how it ended. */
  state(appId: string): { version: number; outcome: Assessment | null } | null {
    const rollout = this.rollouts.get(appId);
    return rollout ? { version: rollout.version, outcome: rollout.outcome } : null;
  }

  forget(appId: string): void {
    this.rollouts.get(appId)?.feed.close();
    this.rollouts.delete(appId);
    this.scales.delete(appId);
  }

  close(): void {
    this.unsubscribe();
    for (const rollout of this.rollouts.values()) rollout.feed.close();
    this.rollouts.clear();
  }
}
