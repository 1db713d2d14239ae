/**
 * api/k8s against the real kube-apiserver and controller-manager, as the platform's own identity:
 * a ServiceAccount token bound only by the synthesized Role. The admin (a separate REST client and
 * kubectl) checks what happened, so api/k8s is never verified with itself.
 */
import test, { type ExecutionContext } from 'ava';
import { synthUserApp, type UserAppChartProps } from '../../../constructs/index.js';
import { applyUserApp, connectKube, removeUserApp, applyObjects, type KubeClient } from '../../../api/k8s/index.js';
import { UnavailableError } from '../../../api/errors.js';
import { kubeBed } from '../../helpers/bed.js';
import { KubeRest, eventually, type KubeObject } from '../../helpers/kube-rest.js';
import { kubectl } from '../../helpers/kubectl.js';
import { platformNamespaces, type PlatformNamespaces } from '../../helpers/platform-identity.js';
import { sampleApp } from '../../helpers/sample-app.js';

interface Setup extends PlatformNamespaces {
  readonly client: KubeClient;
  readonly admin: KubeRest;
  props(overrides?: Partial<UserAppChartProps>): UserAppChartProps;
}

async function setup(t: ExecutionContext, prefix: string): Promise<Setup> {
  const ns = await platformNamespaces(t, prefix);
  const bed = kubeBed();
  const client = connectKube({ kind: 'token', server: bed.server, token: ns.token, caFile: bed.caFile });
  return {
    ...ns,
    client,
    admin: KubeRest.admin(),
    props: (overrides = {}) => sampleApp({
      namespace: ns.appsNamespace,
      network: { platformNamespace: ns.platformNamespace },
      ...overrides,
    }),
  };
}

const paths = {
  ConfigMap: (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`,
  Secret: (ns: string, name: string) => `/api/v1/namespaces/${ns}/secrets/${name}`,
  Deployment: (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
  Service: (ns: string, name: string) => `/api/v1/namespaces/${ns}/services/${name}`,
  IngressRoute: (ns: string, name: string) => `/apis/traefik.io/v1alpha1/namespaces/${ns}/ingressroutes/${name}`,
  NetworkPolicy: (ns: string, name: string) => `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/${name}`,
} as const;

/** Every resource that can carry an app's labels, including what controllers create. */
const labelled = (ns: string) => [
  `/api/v1/namespaces/${ns}/configmaps`, `/api/v1/namespaces/${ns}/secrets`, `/api/v1/namespaces/${ns}/services`,
  `/api/v1/namespaces/${ns}/pods`, `/apis/apps/v1/namespaces/${ns}/deployments`, `/apis/apps/v1/namespaces/${ns}/replicasets`,
  `/apis/traefik.io/v1alpha1/namespaces/${ns}/ingressroutes`, `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
];

async function fetchAll(s: Setup, props: UserAppChartProps): Promise<Record<string, KubeObject & Record<string, any>>> {
  const result: Record<string, KubeObject & Record<string, any>> = {};
  for (const object of synthUserApp(props).objects) {
    const path = paths[object.kind as keyof typeof paths](s.appsNamespace, object.metadata.name);
    result[object.kind] = await s.admin.get(path);
  }
  return result;
}

function versions(objects: Record<string, KubeObject>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(objects).map(([kind, o]) => [kind, o.metadata.resourceVersion]));
}

test('applies every object of an app as synthesized, folders and packages included', async (t) => {
  const s = await setup(t, 'apply');
  const props = s.props();
  const desired = synthUserApp(props).objects;
  const result = await applyUserApp(s.client, s.appsNamespace, props.appId, desired);
  t.deepEqual(result.applied.map((o) => o.kind), ['ConfigMap', 'Secret', 'Deployment', 'Service', 'IngressRoute', 'NetworkPolicy']);
  t.deepEqual(result.pruned, []);
  t.deepEqual(result.takeovers, []);

  const live = await fetchAll(s, props);
  const want = Object.fromEntries(desired.map((o) => [o.kind, o as Record<string, any>]));
  t.deepEqual(live.ConfigMap?.data, want.ConfigMap?.data);
  t.deepEqual(Object.keys(live.ConfigMap?.data ?? {}).sort(), ['app.py', 'pkg_2F__init__.py', 'pkg_2Fmod.py', 'static_2Fcss_2Fsite.css']);
  t.deepEqual(live.Secret?.data, want.Secret?.data);
  t.deepEqual(live.Deployment?.spec.selector, want.Deployment?.spec.selector);
  t.deepEqual(live.Deployment?.spec.template.metadata.annotations, want.Deployment?.spec.template.metadata.annotations);
  t.deepEqual(live.Deployment?.spec.template.spec.volumes[0].configMap.items, want.Deployment?.spec.template.spec.volumes[0].configMap.items);
  t.deepEqual(live.Deployment?.spec.template.spec.containers[0].securityContext, want.Deployment?.spec.template.spec.containers[0].securityContext);
  t.deepEqual(live.Service?.spec.selector, want.Service?.spec.selector);
  t.is(live.Service?.spec.ports[0].port, 80);
  t.is(live.Service?.spec.ports[0].targetPort, 8000);
  t.deepEqual(live.IngressRoute?.spec, want.IngressRoute?.spec);
  t.deepEqual(live.NetworkPolicy?.spec, want.NetworkPolicy?.spec);
  for (const object of Object.values(live)) t.is(object.metadata.labels?.['fastapi-platform.io/app-id'], props.appId);
  // etcd resourceVersions only grow: the Deployment was written after its code, env and NetworkPolicy existed.
  const rv = (kind: string) => Number(result.applied.find((o) => o.kind === kind)?.resourceVersion);
  for (const kind of ['ConfigMap', 'Secret', 'Service', 'IngressRoute', 'NetworkPolicy']) {
    t.true(rv('Deployment') > rv(kind), `the Deployment was applied after the ${kind}`);
  }
});

test('applying the same objects again changes no resourceVersion', async (t) => {
  const s = await setup(t, 'noop');
  const props = s.props();
  await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  // Controllers keep writing the Deployment's status for a moment; take the baseline once every
  // object's resourceVersion has stayed put for a second, so only our apply could move it.
  let previous = '';
  await eventually('the objects to settle', async () => {
    const current = JSON.stringify(versions(await fetchAll(s, props)));
    const settled = current === previous;
    previous = current;
    if (!settled) await new Promise((resolve) => setTimeout(resolve, 1000));
    return settled ? current : undefined;
  }, 60_000);
  const before = versions(await fetchAll(s, props));
  await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  t.deepEqual(versions(await fetchAll(s, props)), before);
});

test('a changed file or env var is a new immutable ConfigMap or Secret and a new pod-template hash; the unchanged one stays as it was', async (t) => {
  const s = await setup(t, 'change');
  const base = s.props();
  await applyUserApp(s.client, s.appsNamespace, base.appId, synthUserApp(base).objects);
  const first = await fetchAll(s, base);

  const codeChanged = s.props({ files: { ...base.files, 'pkg/mod.py': 'VALUE = 2\n' } });
  await applyUserApp(s.client, s.appsNamespace, base.appId, synthUserApp(codeChanged).objects);
  const second = await fetchAll(s, codeChanged);
  t.is(second.ConfigMap?.data['pkg_2Fmod.py'], 'VALUE = 2\n');
  t.not(second.ConfigMap?.metadata.name, first.ConfigMap?.metadata.name);
  t.true(second.ConfigMap?.immutable);
  t.not(second.Deployment?.spec.template.metadata.annotations['fastapi-platform.io/code-hash'], first.Deployment?.spec.template.metadata.annotations['fastapi-platform.io/code-hash']);
  t.is(second.Secret?.metadata.resourceVersion, first.Secret?.metadata.resourceVersion);

  const envChanged = s.props({ files: codeChanged.files, env: { GREETING: 'bonjour' } });
  await applyUserApp(s.client, s.appsNamespace, base.appId, synthUserApp(envChanged).objects);
  const third = await fetchAll(s, envChanged);
  t.is(Buffer.from(third.Secret?.data.GREETING, 'base64').toString(), 'bonjour');
  t.not(third.Deployment?.spec.template.metadata.annotations['fastapi-platform.io/env-hash'], second.Deployment?.spec.template.metadata.annotations['fastapi-platform.io/env-hash']);
  t.is(third.ConfigMap?.metadata.resourceVersion, second.ConfigMap?.metadata.resourceVersion);
});

test('a removed file and a removed env var are gone from the cluster', async (t) => {
  const s = await setup(t, 'remove-keys');
  const base = s.props({ env: { GREETING: 'hello', OLD_FLAG: '1' } });
  await applyUserApp(s.client, s.appsNamespace, base.appId, synthUserApp(base).objects);
  const { 'static/css/site.css': _gone, ...files } = base.files;
  const smaller = s.props({ files, env: { GREETING: 'hello' } });
  await applyUserApp(s.client, s.appsNamespace, base.appId, synthUserApp(smaller).objects);
  const live = await fetchAll(s, smaller);
  t.false('static_2Fcss_2Fsite.css' in (live.ConfigMap?.data ?? {}));
  t.deepEqual(Object.keys(live.Secret?.data).sort(), ['GREETING', 'PLATFORM_MONGO_URI']);
  const items = live.Deployment?.spec.template.spec.volumes[0].configMap.items.map((i: { path: string }) => i.path);
  t.deepEqual(items, ['app.py', 'pkg/__init__.py', 'pkg/mod.py']);
});

test('fails when a pod breaks the restricted standard: PodSecurity admission rejects it (negative control)', async (t) => {
  const s = await setup(t, 'psa');
  const res = await s.admin.call<{ message?: string }>('POST', `/api/v1/namespaces/${s.appsNamespace}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root-pod' },
    spec: { containers: [{ name: 'c', image: 'python:3.11-slim', securityContext: { runAsUser: 0 } }] },
  });
  t.is(res.status, 403);
  t.regex(res.body.message ?? '', /violates PodSecurity "restricted:latest"/);
});

test('remove leaves nothing carrying the app labels, pods and ReplicaSets included', async (t) => {
  const s = await setup(t, 'rm');
  const props = s.props();
  await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  const selector = `fastapi-platform.io/app-id=${props.appId}`;
  await eventually('the pod to exist', async () => (await s.admin.list(`/api/v1/namespaces/${s.appsNamespace}/pods`, selector))[0]);

  const removed = await removeUserApp(s.client, s.appsNamespace, props.appId);
  t.is(removed.length, 6);
  // The pod has no kubelet to finish its termination, so like a real node's kubelet we confirm it.
  const leftovers = await eventually('every labelled object to be gone', async () => {
    const remaining: string[] = [];
    for (const path of labelled(s.appsNamespace)) {
      for (const o of await s.admin.list(path, selector)) {
        if (o.kind === 'Pod' || path.endsWith('/pods')) {
          await s.admin.call('DELETE', `/api/v1/namespaces/${s.appsNamespace}/pods/${o.metadata.name}?gracePeriodSeconds=0`);
        }
        remaining.push(`${path}/${o.metadata.name}`);
      }
    }
    return remaining.length === 0 ? remaining : undefined;
  }, 60_000);
  t.deepEqual(leftovers, []);
});

test('a file or env var change is pruned: objects of the app that are no longer desired are deleted', async (t) => {
  const s = await setup(t, 'prune');
  const props = s.props();
  await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  // An extra object carrying the app's labels that the platform no longer wants (a leftover of an older version).
  const leftover = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `app-${props.appId}-old`, namespace: s.appsNamespace, labels: synthUserApp(props).objects[0]?.metadata.labels ?? {} }, data: {} };
  await applyObjects(s.client, [leftover]);
  const result = await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  t.deepEqual(result.pruned.map((r) => `${r.kind}/${r.name}`), [`ConfigMap/app-${props.appId}-old`]);
  const res = await s.admin.call('GET', paths.ConfigMap(s.appsNamespace, `app-${props.appId}-old`));
  t.is(res.status, 404);
});

test("an operator's conflicting edit is taken over and reported, not silently overridden", async (t) => {
  const s = await setup(t, 'conflict');
  const props = s.props();
  await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  const edit = await kubectl(['-n', s.appsNamespace, 'patch', 'deployment', `app-${props.appId}`, '--field-manager=operator', '--type=merge', '-p', '{"spec":{"revisionHistoryLimit":9}}']);
  t.is(edit.code, 0, edit.stderr);
  const result = await applyUserApp(s.client, s.appsNamespace, props.appId, synthUserApp(props).objects);
  t.is(result.takeovers.length, 1);
  t.is(result.takeovers[0]?.object.kind, 'Deployment');
  t.regex(result.takeovers[0]?.conflicts.join('\n') ?? '', /\.spec\.revisionHistoryLimit/);
  const live = await s.admin.get<Record<string, any>>(paths.Deployment(s.appsNamespace, `app-${props.appId}`));
  t.is(live.spec.revisionHistoryLimit, 3);
});

test('fails when the platform identity reads Secrets in another namespace or creates RBAC objects', async (t) => {
  const s = await setup(t, 'rbac');
  const platform = s.admin.withToken(s.token);
  const otherSecrets = await platform.call('GET', `/api/v1/namespaces/${s.platformNamespace}/secrets`);
  t.is(otherSecrets.status, 403);
  const kubeSystem = await platform.call('GET', '/api/v1/namespaces/kube-system/secrets');
  t.is(kubeSystem.status, 403);
  const role = await platform.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${s.appsNamespace}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'escalate' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  t.is(role.status, 403);
  const binding = await platform.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${s.appsNamespace}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'escalate' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'platform-api', namespace: s.platformNamespace }],
  });
  t.is(binding.status, 403);
  const pods = await platform.call('POST', `/api/v1/namespaces/${s.appsNamespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  t.is(pods.status, 403);
});

test('fails when the cluster refuses the platform: the refusal becomes a domain error naming the object', async (t) => {
  const s = await setup(t, 'refused');
  // The platform's Role covers only the apps namespace; applying elsewhere must be refused.
  const props = s.props({ namespace: s.platformNamespace });
  const error = await t.throwsAsync(applyUserApp(s.client, s.platformNamespace, props.appId, synthUserApp(props).objects), { instanceOf: UnavailableError });
  t.regex(error?.message ?? '', new RegExp(`apply ConfigMap ${s.platformNamespace}/app-${props.appId}-code-[0-9a-f]{10}: the cluster refused the platform's credentials`));
});

test('a version\'s code and env stay while a ReplicaSet of the app uses them, and are pruned once none does', async (t) => {
  const s = await setup(t, 'keep');
  const v1 = s.props();
  await applyUserApp(s.client, s.appsNamespace, v1.appId, synthUserApp(v1).objects);
  const first = await fetchAll(s, v1);
  const selector = `fastapi-platform.io/app-id=${v1.appId}`;
  const [oldReplicaSet] = await eventually('the first ReplicaSet', async () => {
    const list = await s.admin.list(`/apis/apps/v1/namespaces/${s.appsNamespace}/replicasets`, selector);
    return list.length > 0 ? list : undefined;
  });
  const v2 = s.props({ files: { ...v1.files, 'pkg/mod.py': 'VALUE = 2\n' }, env: { GREETING: 'bonjour' } });
  const second = await applyUserApp(s.client, s.appsNamespace, v1.appId, synthUserApp(v2).objects);
  t.deepEqual(second.pruned, [], 'version 1\'s ReplicaSet still mounts its code and reads its env');
  for (const kind of ['ConfigMap', 'Secret'] as const) {
    t.is((await s.admin.call('GET', paths[kind](s.appsNamespace, first[kind]?.metadata.name ?? ''))).status, 200, `${kind} of version 1 kept`);
  }
  // The Deployment controller drops old ReplicaSets beyond revisionHistoryLimit; here, by hand.
  t.is((await s.admin.call('DELETE', `/apis/apps/v1/namespaces/${s.appsNamespace}/replicasets/${oldReplicaSet?.metadata.name}`)).status, 200);
  await eventually('the old ReplicaSet to be gone', async () => ((await s.admin.call('GET', `/apis/apps/v1/namespaces/${s.appsNamespace}/replicasets/${oldReplicaSet?.metadata.name}`)).status === 404 ? true : undefined));
  const third = await applyUserApp(s.client, s.appsNamespace, v1.appId, synthUserApp(v2).objects);
  t.deepEqual(third.pruned.map((r) => `${r.kind}/${r.name}`).sort(), [`ConfigMap/${first.ConfigMap?.metadata.name}`, `Secret/${first.Secret?.metadata.name}`]);
});
