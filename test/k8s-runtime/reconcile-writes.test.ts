/**
 * Reconcile at scale (issue 18): a pass with nothing changed writes nothing to the cluster (the
 * applied-objects cache, kept by watches, says every object is there with the hash it was applied
 * with); an object deleted by hand, or a field of the platform's changed by hand, is applied again at
 * the next pass, after which passes write nothing again.
 */
import test from 'ava';
import { annotationKeys } from '../../constructs/index.js';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import { newApp, signUp, startApi, waitForPhase, type TestApi } from '../helpers/api.js';
import { nextPod } from '../helpers/app-pods.js';
import { bindPod, setPodStatus } from '../helpers/fake-node.js';
import { startFakeKubelet } from '../helpers/fake-kubelet.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';

/** Applies made by one reconcile pass. */
async function pass(api: TestApi<KubernetesRuntime>): Promise<number> {
  const before = api.runtime.appliedCount();
  const { problems } = await api.services.deploys.reconcile();
  if (problems.length > 0) throw new Error(problems.join('; '));
  return api.runtime.appliedCount() - before;
}

/** Passes until one writes nothing (the watches may take a moment to show what the last one applied). */
const quiet = (api: TestApi<KubernetesRuntime>) => eventually('a reconcile pass that writes nothing', async () => ((await pass(api)) === 0 ? true : undefined), 20_000);

test('a reconcile pass with nothing changed writes nothing; what was deleted or edited by hand is applied again', async (t) => {
  const api = await startApi(t, { runtime: 'kubernetes' });
  const admin = KubeRest.admin();
  const ns = api.namespaces?.appsNamespace ?? '';
  const kubelet = await startFakeKubelet(t);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Steady', templateId: 'builtin-hello-fastapi' });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  const pod = await nextPod(admin, ns, app.id);
  await bindPod(admin, ns, pod.metadata.name, kubelet.nodeName);
  await setPodStatus(admin, ns, pod.metadata.name, 'running-ready');
  await waitForPhase(user, app.id, 'running');

  await quiet(api);
  t.is(await pass(api), 0, 'a second pass with nothing changed writes nothing either');

  // Deleted by hand: the next pass applies the app again, and the Service is back.
  const service = `/api/v1/namespaces/${ns}/services/app-${app.id}`;
  t.is((await admin.call('DELETE', service)).status, 200);
  await eventually('the deleted Service to be applied again', async () => ((await pass(api)) > 0 && (await admin.call('GET', service)).status === 200 ? true : undefined), 20_000);
  await quiet(api);

  // A field of the platform's changed by hand (another field manager): taken back at the next pass.
  const deployment = `/apis/apps/v1/namespaces/${ns}/deployments/app-${app.id}`;
  const edited = await admin.call('PATCH', `${deployment}?fieldManager=kubectl-edit`, { metadata: { annotations: { [annotationKeys.version]: '999' } } }, 'application/merge-patch+json');
  t.is(edited.status, 200);
  await eventually('the edited annotation to be taken back', async () => {
    await pass(api);
    const now = await admin.get<{ metadata: { annotations?: Record<string, string> } }>(deployment);
    return now.metadata.annotations?.[annotationKeys.version] === '1' ? true : undefined;
  }, 20_000);
  await quiet(api);
});
