/**
 * The bed has no scheduler and no kubelet, so tests that need pods to progress act as both: register
 * a Node, bind pods to it (pods/binding, as kube-scheduler does) and write their status (pods/status,
 * as the kubelet does) from fixtures in test/fixtures/pod-status, whose shapes follow real clusters.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeObject, KubeRest } from './kube-rest.js';

const fixtureDir = fileURLToPath(new URL('../fixtures/pod-status/', import.meta.url));

export interface NodeOptions {
  /** Port of the node's kubelet endpoint (a test HTTPS server), for pods/log and friends. */
  readonly kubeletPort?: number;
}

export async function registerNode(rest: KubeRest, name: string, options: NodeOptions = {}): Promise<void> {
  const created = await rest.call('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating node ${name} → ${created.status}: ${JSON.stringify(created.body)}`);
  const now = new Date().toISOString();
  const status = await rest.call('PATCH', `/api/v1/nodes/${name}/status`, {
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: options.kubeletPort ?? 10250 } },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    },
  }, 'application/merge-patch+json');
  if (status.status !== 200) throw new Error(`setting node ${name} status → ${status.status}: ${JSON.stringify(status.body)}`);
}

/** Binds a pod to a node, as the scheduler does. */
export async function bindPod(rest: KubeRest, namespace: string, pod: string, node: string): Promise<void> {
  const res = await rest.call('POST', `/api/v1/namespaces/${namespace}/pods/${pod}/binding`, {
    apiVersion: 'v1', kind: 'Binding', metadata: { name: pod }, target: { apiVersion: 'v1', kind: 'Node', name: node },
  });
  if (res.status !== 201) throw new Error(`binding ${namespace}/${pod} → ${res.status}: ${JSON.stringify(res.body)}`);
}

/**
 * Loads a fixture's status with its placeholders filled from the pod (`${pod}`, `${namespace}` and
 * `${podUID}` too, once the apiserver has given it a uid) and from `extra`, which wins.
 */
export function podStatusFixture(name: string, pod: KubeObject, extra: Record<string, string> = {}): Record<string, unknown> {
  const spec = pod.spec as { containers: { name: string; image: string }[] };
  const container = spec.containers[0];
  const values: Record<string, string> = {
    now: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    podIP: `10.244.0.${1 + Math.floor(Math.random() * 250)}`,
    container: container?.name ?? 'runner',
    image: container?.image ?? 'image',
    containerID: randomBytes(32).toString('hex'),
    pod: pod.metadata.name,
    ...(pod.metadata.namespace ? { namespace: pod.metadata.namespace } : {}),
    ...(pod.metadata.uid ? { podUID: pod.metadata.uid } : {}),
    ...extra,
  };
  const text = readFileSync(`${fixtureDir}${name}.json`, 'utf8').replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`fixture ${name} needs a value for \${${key}}`);
    // Placeholders sit inside JSON strings: escape the value, so quotes and newlines (a JSON
    // termination message) stay data.
    return JSON.stringify(value).slice(1, -1);
  });
  return (JSON.parse(text) as { status: Record<string, unknown> }).status;
}

/** Writes a pod's status from a fixture, as the kubelet does. */
export async function setPodStatus(rest: KubeRest, namespace: string, podName: string, fixture: string, extra: Record<string, string> = {}): Promise<void> {
  const pod = await rest.get(`/api/v1/namespaces/${namespace}/pods/${podName}`);
  const res = await rest.call('PATCH', `/api/v1/namespaces/${namespace}/pods/${podName}/status`, { status: podStatusFixture(fixture, pod, extra) }, 'application/merge-patch+json');
  if (res.status !== 200) throw new Error(`setting ${namespace}/${podName} status → ${res.status}: ${JSON.stringify(res.body)}`);
}
