/**
 * The reading side of the real node (test/bed/node): where its ingress, database and runtime are, an
 * API on its Kubernetes runtime, and requests to apps through Traefik with their Host header. Tests
 * under test/real-node/ get these from test/run.ts; a node that did not start makes them fail with why.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import { appDomain, startApi, type ApiContext, type KubeRuntimeOptions, type TestApi } from './api.js';

const exec = promisify(execFile);

function required(name: string): string {
  const value = process.env[`FP_BED_NODE_${name}`];
  if (value) return value;
  throw new Error(process.env.FP_BED_NODE_ERROR ?? `FP_BED_NODE_${name} is not set: real-node tests run through \`npm test\` (test/run.ts starts the node for test/real-node/)`);
}

export interface NodeEndpoints {
  readonly name: string;
  readonly address: string;
  readonly serviceIp: string;
  readonly ingressUrl: string;
  readonly ingressNamespace: string;
  /** The bed's shared FerretDB pod (the in-cluster platform's own database; apps get their tenant's own server). */
  readonly appsMongoUri: string;
  readonly runnerImage: string;
  /** The Node runner's image (TypeScript apps). */
  readonly nodeRunnerImage: string;
  readonly apiImage: string;
  readonly apiArchive: string;
  readonly runnerArchive: string;
  readonly nodeRunnerArchive: string;
  readonly containerd: string;
  /** The FerretDB image imported on the node (tenants' database servers). */
  readonly ferretdbImage: string;
}

export function nodeBed(): NodeEndpoints {
  return {
    name: required('NAME'), address: required('ADDRESS'), serviceIp: required('SERVICE_IP'), ingressUrl: required('INGRESS_URL'),
    ingressNamespace: required('INGRESS_NAMESPACE'), appsMongoUri: required('APPS_MONGO_URI'), runnerImage: required('RUNNER_IMAGE'),
    nodeRunnerImage: required('RUNNER_NODE_IMAGE'), apiImage: required('API_IMAGE'), apiArchive: required('API_ARCHIVE'), runnerArchive: required('RUNNER_ARCHIVE'),
    nodeRunnerArchive: required('RUNNER_NODE_ARCHIVE'), containerd: required('CONTAINERD'), ferretdbImage: required('FERRETDB_IMAGE'),
  };
}

/**
 * The API on the node's Kubernetes runtime: the runners' images imported on the node, apps' routes to the
 * gateway (run beside the API, on the node's address), as the platform chart wires them, and each
 * tenant's databases on a TenantDatabase server of its own in the apps namespace (the `ferretdb`
 * provider, on emptyDir storage: the bed has no storage provisioner).
 */
export function startNodeApi(t: ApiContext, kube: KubeRuntimeOptions = {}): Promise<TestApi<KubernetesRuntime>> {
  const node = nodeBed();
  return startApi(t, { runtime: 'kubernetes', kube: { ingressUrl: node.ingressUrl, image: node.runnerImage, nodeImage: node.nodeRunnerImage, gatewayAddress: node.address, tenantDatabases: { image: node.ferretdbImage }, ...kube } });
}

export interface IngressReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request to an app through Traefik (the node's ingress Service) with the app's Host header. */
export function viaIngress(appId: string, path = '/', init: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<IngressReply> {
  const ingress = new URL(nodeBed().ingressUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      host: ingress.hostname, port: ingress.port || 80, path, method: init.method ?? 'GET', agent: false,
      headers: { ...init.headers, host: `app-${appId}.${appDomain}` }, timeout: init.timeoutMs ?? 10_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${init.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Polls through the ingress until the app answers 200 with `body` matching, or throws what it saw last. */
export async function untilServes(appId: string, match: RegExp, timeoutMs = 60_000, path = '/'): Promise<IngressReply> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    try {
      const reply = await viaIngress(appId, path);
      if (reply.status === 200 && match.test(reply.body)) return reply;
      last = `${reply.status} ${reply.body.slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`app ${appId} did not serve ${match} through Traefik within ${timeoutMs} ms (last: ${last})`);
}

/** `ctr` against the node's containerd, in the kubelet's namespace. */
export async function ctr(args: readonly string[]): Promise<string> {
  return (await exec('ctr', ['--address', nodeBed().containerd, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

/** Kills a container's process with SIGKILL, as a crash would (containerStatuses' containerID is `containerd://<id>`). */
export async function killContainer(containerId: string): Promise<void> {
  await ctr(['tasks', 'kill', '--signal', 'SIGKILL', containerId.replace(/^containerd:\/\//, '')]);
}
