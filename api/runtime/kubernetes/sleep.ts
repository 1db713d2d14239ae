/**
 * Sleep and wake on Kubernetes: zero replicas, then one again, through the scale subresource under
 * the sleep's own field manager (api/k8s/scale.ts), so server-side apply and reconcile never fight
 * over the count. The API puts apps to sleep; whoever wakes one (a gateway replica, a deploy) waits
 * until a pod of it is ready, as its watch of the cluster tells.
 *
 * An app that uses its tenant's database server wakes that server too, in parallel, and the wake
 * waits for both: the server sleeps when none of the tenant's apps is awake
 * (api/databases/ferretdb-kubernetes.ts), and a woken app's first query must find it. It lives in the
 * apps namespace, so the same verb on the same namespace does it, and the gateway (which may only
 * read Deployments and patch their scale there) needs nothing more.
 */
import { userAppWorkloadName } from '../../../constructs/index.js';
import { UnavailableError } from '../../errors.js';
import { scaleDeployment, wakeTenantDatabase, type KubeClient } from '../../k8s/index.js';

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

/**
 * Wakes the app, and the database server of `databaseOwner` (the app's owner, when the app may use it;
 * null: it does not) beside it; resolves once both are ready.
 */
export async function wakeApp(client: KubeClient, namespace: string, appId: string, view: ReadinessView, databaseOwner: string | null = null, timeoutMs = 120_000): Promise<void> {
  const database = databaseOwner === null ? null : wakeTenantDatabase(client, namespace, databaseOwner, timeoutMs);
  // Observed at once, so a failure while the app still starts is never unhandled; awaited below.
  database?.catch(() => {});
  await waitForApp(client, namespace, appId, view, timeoutMs);
  await database;
}

async function waitForApp(client: KubeClient, namespace: string, appId: string, view: ReadinessView, timeoutMs: number): Promise<void> {
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
