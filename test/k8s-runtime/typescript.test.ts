/**
 * A TypeScript app on the Kubernetes runtime, through the HTTP API against the bed's apiserver and
 * controllers (the test acting as scheduler and kubelet): the applied Deployment and its pod run the
 * Node runner's image with the app's .ts entrypoint, beside a Python app of the same user that runs the
 * Python runner's; both go ready the same way. (The real-node bed, which runs the images, is another
 * branch: here the objects are what the apiserver stores.)
 */
import test from 'ava';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import { newApp, signUp, startApi, waitForPhase } from '../helpers/api.js';
import { uniqueName } from '../helpers/bed.js';
import { nextPod } from '../helpers/app-pods.js';
import { bindPod, registerNode, setPodStatus } from '../helpers/fake-node.js';
import { KubeRest } from '../helpers/kube-rest.js';

test("a TypeScript app's Deployment and pod run the Node runner image; a Python app's beside it run Python's", async (t) => {
  const api = await startApi<'kubernetes'>(t, { runtime: 'kubernetes' });
  const runtime: KubernetesRuntime = api.runtime;
  t.truthy(runtime);
  const admin = KubeRest.admin();
  const node = uniqueName('node');
  await registerNode(admin, node);
  t.teardown(async () => { await admin.call('DELETE', `/api/v1/nodes/${node}`); });
  const ns = api.namespaces?.appsNamespace ?? '';
  const user = await signUp(api);
  const ts = await newApp(user, { name: 'Hono', templateId: 'builtin-todo-openapi-hono' });
  const py = await newApp(user, { name: 'FastAPI', templateId: 'builtin-hello-fastapi' });
  for (const app of [ts, py]) t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);

  const deployment = async (appId: string): Promise<any> => (await admin.call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/app-${appId}`)).body;
  const tsContainer = (await deployment(ts.id)).spec.template.spec.containers[0];
  t.is(tsContainer.image, 'fastapi-platform/runner-node:0.1.0');
  t.true(tsContainer.env.some((e: { name: string; value: string }) => e.name === 'ENTRYPOINT' && e.value === 'app.ts'));
  t.false(tsContainer.env.some((e: { name: string }) => e.name === 'PYTHONDONTWRITEBYTECODE'));
  t.is((await deployment(py.id)).spec.template.spec.containers[0].image, 'fastapi-platform/runner:0.1.0');
  // The code ConfigMap carries the .ts files the runner compiles at start.
  const configMaps = ((await admin.call('GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=${encodeURIComponent(`fastapi-platform.io/app-id=${ts.id}`)}`)).body as any).items as { data: Record<string, string> }[];
  t.true(configMaps.some((c) => Object.keys(c.data).includes('app.ts') && Object.keys(c.data).some((k) => k.endsWith('todos.ts'))));

  for (const app of [ts, py]) {
    const pod: any = await nextPod(admin, ns, app.id);
    t.is(pod.spec.containers[0].image, app === ts ? 'fastapi-platform/runner-node:0.1.0' : 'fastapi-platform/runner:0.1.0');
    await bindPod(admin, ns, pod.metadata.name, node);
    await setPodStatus(admin, ns, pod.metadata.name, 'running-ready');
    await waitForPhase(user, app.id, 'running');
  }
});
