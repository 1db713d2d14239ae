/**
 * An app's replica count, set through the Deployment's scale subresource under a field manager of its
 * own. The platform's server-side apply never sets `spec.replicas` (constructs/user-app.ts), so apply
 * and reconcile never take the count back from sleep and wake, and the two never fight over it.
 */
import type { KubeClient } from './client.js';
import { kubeCode, toDomainError } from './errors.js';

export const scaleFieldManager = 'fastapi-platform-sleep';

/** Sets the Deployment's replicas; false when it does not exist. */
export async function scaleDeployment(client: KubeClient, namespace: string, name: string, replicas: number): Promise<boolean> {
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}/scale`;
  try {
    await client.objects.applyAt(path, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas } }, scaleFieldManager, true);
    return true;
  } catch (error) {
    if (kubeCode(error) === 404) return false;
    throw toDomainError(error, `scale Deployment ${namespace}/${name} to ${replicas}`);
  }
}
