/**
 * Acting as scheduler and kubelet for one user app's pods on the bed (the controllers create them):
 * find the app's next pod, and force-delete the ones the ReplicaSet controller retired, which a real
 * kubelet would finish deleting.
 */
import { labelKeys } from '../../constructs/index.js';
import { eventually, type KubeObject, type KubeRest } from './kube-rest.js';

/** The app's newest pod not in `seen` (and not being deleted), once the ReplicaSet controller made it. */
export async function nextPod(admin: KubeRest, namespace: string, appId: string, seen: ReadonlySet<string> = new Set()): Promise<KubeObject> {
  return eventually(`a new pod of app ${appId}`, async () => {
    const pods = await admin.list(`/api/v1/namespaces/${namespace}/pods`, `${labelKeys.appId}=${appId}`);
    return pods.find((p) => !seen.has(p.metadata.name) && !p.metadata.deletionTimestamp);
  });
}

/** Pods the controllers deleted stay Terminating without a kubelet; finish them as a kubelet would. */
export async function finishDeletions(admin: KubeRest, namespace: string, appId: string): Promise<string[]> {
  const pods = await admin.list(`/api/v1/namespaces/${namespace}/pods`, `${labelKeys.appId}=${appId}`);
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp);
  for (const pod of terminating) {
    await admin.call('DELETE', `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
  }
  return terminating.map((p) => p.metadata.name);
}

export function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}
