/**
 * Each app's current rollout in the Kubernetes runtime: its progress events, re-assessed from the
 * shared watch whenever one of the app's objects changes (no polling, no per-request listing), until
 * it is ready or failed. A newer rollout of the same app replaces the older one.
 *
 * Every API replica watches the same objects, so a rollout another replica started is followed here
 * too, from the moment its Deployment shows a new version or template: a progress stream opened on
 * any replica follows any deploy. Only the replica that started a rollout records its outcome.
 */
import { annotationKeys } from '../../../constructs/index.js';
import type { AppWatch, DeploymentJson } from '../../k8s/index.js';
import { Feed } from '../feed.js';
import type { ProgressEvent } from '../types.js';
import { assess, type Assessment, type RolloutTarget } from './assess.js';

/** A Deployment's version and pod template hashes: what a rollout changes. */
function templateKey(deployment: DeploymentJson): string {
  const template = deployment.spec?.template?.metadata?.annotations ?? {};
  return `${deployment.metadata.annotations?.[annotationKeys.version] ?? ''}:${template[annotationKeys.codeHash] ?? ''}:${template[annotationKeys.envHash] ?? ''}`;
}

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
  /** Each app's Deployment as last seen (version and template hashes): a change nobody here began is another replica's rollout. */
  private readonly templates = new Map<string, string>();
  /** Told of every rollout made (a progress stream waiting for a version another replica deploys). */
  private readonly madeListeners = new Set<(appId: string, version: number) => void>();
  private readonly unsubscribe: () => void;
  /** Told the time from a watch notification to the progress event it caused (bench/deploy listens). */
  private readonly reactionListeners = new Set<(ms: number) => void>();

  constructor(private readonly watch: AppWatch) {
    // What runs already when this process starts is not a rollout; a Deployment first seen later is.
    for (const appId of watch.deploymentAppIds()) {
      const deployment = watch.workload(appId).deployment;
      if (deployment) this.templates.set(appId, templateKey(deployment));
    }
    this.unsubscribe = watch.onChange((appId) => {
      this.followScale(appId);
      this.followApplied(appId);
      this.update(appId, performance.now());
    });
  }

  private push(rollout: Rollout, phase: ProgressEvent['phase'], message: string, failure?: ProgressEvent['failure']): void {
    rollout.feed.push({ phase, version: rollout.version, at: new Date().toISOString(), message, ...(failure ? { failure } : {}) });
  }

  /** Replaces the app's rollout with a new one of `version`. */
  private make(appId: string, version: number): Rollout {
    this.rollouts.get(appId)?.feed.close();
    const rollout: Rollout = { version, feed: new Feed(100), target: null, last: '', outcome: null };
    this.rollouts.set(appId, rollout);
    for (const listener of this.madeListeners) listener(appId, version);
    return rollout;
  }

  begin(appId: string, version: number): void {
    const rollout = this.make(appId, version);
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
    const rollout = this.make(appId, version);
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

  /**
   * Another replica's rollout: the Deployment's version or template changed while this replica has no
   * rollout of its own under way (one of its own is either mid-apply, target unknown yet, or targets
   * this very template), or a Deployment appeared after this process started.
   */
  private followApplied(appId: string): void {
    const deployment = this.watch.workload(appId).deployment;
    if (!deployment) return void this.templates.delete(appId);
    const template = deployment.spec?.template?.metadata?.annotations ?? {};
    const version = Number(deployment.metadata.annotations?.[annotationKeys.version]) || 0;
    const key = templateKey(deployment);
    const before = this.templates.get(appId);
    this.templates.set(appId, key);
    if (before === key) return;
    const current = this.rollouts.get(appId);
    if (current && !current.outcome && current.version === version
      && (current.target === null || (current.target.codeHash === template[annotationKeys.codeHash] && current.target.envHash === template[annotationKeys.envHash]))) return;
    const rollout = this.make(appId, version);
    this.push(rollout, 'applying', `version ${version}'s objects were applied (by another API replica)`);
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

  /** Resolves once the app has a rollout of `version` (true), or after `waitMs` or an abort (false). */
  private until(appId: string, version: number, waitMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.rollouts.get(appId)?.version === version) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (found: boolean) => {
        clearTimeout(timer);
        this.madeListeners.delete(listener);
        signal?.removeEventListener('abort', aborted);
        resolve(found);
      };
      const listener = (id: string, made: number) => { if (id === appId && made === version) done(true); };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), waitMs);
      this.madeListeners.add(listener);
      signal?.addEventListener('abort', aborted);
    });
  }

  /**
   * The rollout's events from its start, then live ones, ending with ready or failed. Given the
   * `version` being deployed (the records say so), waits up to `waitMs` for its rollout when another
   * replica started it and this one has not seen its Deployment change yet.
   */
  async *progress(appId: string, signal?: AbortSignal, version?: number, waitMs = 30_000): AsyncGenerator<ProgressEvent> {
    if (version !== undefined && !(await this.until(appId, version, waitMs, signal))) return;
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
