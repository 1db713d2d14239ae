/**
 * Sleep and wake on Kubernetes: zero replicas, then one again, through the scale subresource under
 * the sleep's own field manager (api/k8s/scale.ts), so server-side apply and reconcile never fight
 * over the count. The API puts apps to sleep; whoever wakes one (a gateway replica, a deploy) waits
 * until a pod of it is ready, as its watch of the cluster tells.
 */
import { userAppWorkloadName } from '../../../constructs/index.js';
import { UnavailableError } from '../../errors.js';
import { scaleDeployment, type KubeClient } from '../../k8s/index.js';

/** What a waker watches of one app. */
export interface ReadinessView {
  /** A pod of the app is ready to serve. */
  ready(appId: string): boolean;
  /** Why the app's rollout stopped progressing (null: it did not). */
  failing(appId: string): string | null;
  /** Resolves at the app's next change, or after `ms`. */
  changed(appId: string, ms: number): Promise<void>;
}

export async function sleepApp(client: KubeClient, namespace: string, appId: string): Promise<void> {
  await scaleDeployment(client, namespace, userAppWorkloadName(appId), 0);
}

export async function wakeApp(client: KubeClient, namespace: string, appId: string, view: ReadinessView, timeoutMs = 120_000): Promise<void> {
  if (!(await scaleDeployment(client, namespace, userAppWorkloadName(appId), 1))) {
    throw new UnavailableError('The app has nothing deployed to wake.');
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (view.ready(appId)) return;
    const failing = view.failing(appId);
    if (failing) throw new UnavailableError(`The app did not start: ${failing}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new UnavailableError(`The app did not become ready within ${Math.round(timeoutMs / 1000)} s of waking.`);
    await view.changed(appId, left);
  }
}
