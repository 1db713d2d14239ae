/**
 * The real node: a single-node Kubernetes cluster on this machine, started only for the tests that need
 * it (test/real-node/), with its own control plane (the `node` profile of kube.ts: scheduler, every
 * controller, Node authorization), containerd + runc + the CNI bridge, the kubelet, kube-proxy and
 * kube-router, then CoreDNS, Traefik and FerretDB as pods. Images are built without a registry
 * (test/bed/images) and imported. It holds the machine-wide lock, cleans a crashed run's state first,
 * and leaves nothing behind. Needs root.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { ServerProcess } from '../../../scripts/lib/server-process.js';
import { httpsRequest } from '../https.js';
import { buildImages, imageTags, type ImageName } from '../images/index.js';
import { startKube, type KubeBed } from '../kube.js';
import type { BedPaths } from '../paths.js';
import { addonObjects } from './addons.js';
import { componentConfigDir, startKubeProxy, startKubelet, startKubeRouter, type NodeNetwork } from './components.js';
import { startContainerd, type Containerd } from './containerd.js';
import { acquireNodeLock, cleanHost, leftovers, nodeHost, prepareHost } from './host.js';

const exec = promisify(execFile);

export const nodeNetwork: NodeNetwork & { readonly serviceIp: string; readonly ingressIp: string; readonly gateway: string } = {
  nodeName: 'fp-bed-node',
  address: nodeHost.address,
  podCidr: '10.244.0.0/24',
  gateway: '10.244.0.1',
  clusterCidr: '10.244.0.0/16',
  serviceCidr: '10.96.0.0/24',
  serviceIp: '10.96.0.1',
  dnsIp: '10.96.0.10',
  ingressIp: '10.96.0.80',
};

export const ingressNamespace = 'traefik';
export const databaseNamespace = 'mongodb';
/** The FerretDB pod in `mongodb`, through cluster DNS: the in-cluster platform's own database (apps get their tenant's server). */
export const appsMongoUri = `mongodb://mongodb.${databaseNamespace}.svc.cluster.local:27017/`;

export interface NodeBed {
  readonly env: Record<string, string>;
  readonly timings: Record<string, number>;
  stop(): Promise<void>;
}

async function timed<T>(timings: Record<string, number>, name: string, begin: number, work: Promise<T>): Promise<T> {
  const value = await work;
  timings[name] = Math.round(performance.now() - begin) / 1000;
  return value;
}

async function poll(what: string, timeoutMs: number, check: () => Promise<boolean>, detail: () => Promise<string> = async () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the real node: ${what} did not happen within ${timeoutMs / 1000} s ${last}\n${await detail().catch(() => '')}`);
}

export async function startNode(paths: BedPaths, workDir: string): Promise<NodeBed> {
  if (process.getuid?.() !== 0) throw new Error('the real node needs root (containerd, runc, iptables, cgroups); run the tests as root');
  const begin = performance.now();
  const timings: Record<string, number> = {};
  const logDir = join(workDir, 'node');
  await mkdir(logDir, { recursive: true });
  const lock = await acquireNodeLock();
  const processes: ServerProcess[] = [];
  let kube: KubeBed | undefined;
  let containerd: Containerd | undefined;
  const stop = async (): Promise<void> => {
    for (const p of processes.reverse()) await p.stop(3000).catch(() => undefined);
    await containerd?.stop().catch(() => undefined);
    await kube?.stop().catch(() => undefined);
    await cleanHost({ kubeRouter: paths.kubeRouter });
    const left = await leftovers();
    await lock.release();
    if (left.length > 0) throw new Error(`the real node left state behind: ${left.join('; ')}`);
  };
  try {
    const stale = await cleanHost({ kubeRouter: paths.kubeRouter });
    if (stale.length > 0) process.stderr.write(`[bed] the real node: cleaned what a previous run left: ${stale.join(', ')}\n`);
    await prepareHost();
    await mkdir(componentConfigDir, { recursive: true });
    await mkdir(join(nodeHost.runDir, 'etcd'), { recursive: true });

    const names: ImageName[] = ['pause', 'runner', 'runnerNode', 'api', 'coredns', 'traefik', 'ferretdb'];
    const tags = imageTags();
    const [images, started, runtime] = await Promise.all([
      timed(timings, 'images built', begin, buildImages(paths, names)),
      timed(timings, 'control plane', begin, startKube({
        kubeBin: paths.kubeBin, etcd: paths.etcd, traefikCrds: paths.traefikCrds, workDir: logDir,
        node: {
          address: nodeNetwork.address, port: 6443, serviceCidr: nodeNetwork.serviceCidr, serviceIp: nodeNetwork.serviceIp,
          components: ['kube-scheduler', 'kube-proxy', 'kube-router'], configDir: componentConfigDir, etcdDir: join(nodeHost.runDir, 'etcd'),
        },
      })),
      timed(timings, 'containerd', begin, startContainerd(logDir, { podCidr: nodeNetwork.podCidr, gateway: nodeNetwork.gateway })),
    ]);
    kube = started;
    containerd = runtime;
    // The API's image is imported by the one test that runs the platform's chart (FP_BED_NODE_API_ARCHIVE).
    await timed(timings, 'images imported', begin, Promise.all(images.filter((i) => i.name !== 'api').map((image) => runtime.ctr(['images', 'import', image.archive]))));

    const ca = await readFile(started.pki.ca.cert, 'utf8');
    const api = (path: string) => httpsRequest(`${started.server}${path}`, { ca, token: started.adminToken });
    const context = { kubeBin: paths.kubeBin, server: started.server, pki: started.pki, logDir, network: nodeNetwork, tokens: started.componentTokens };
    const kubelet = await startKubelet(context, runtime.socket);
    processes.push(kubelet);
    const proxy = await startKubeProxy(context);
    processes.push(proxy);
    await kubelet.waitReady(async () => {
      const res = await api(`/api/v1/nodes/${nodeNetwork.nodeName}`);
      if (res.status !== 200) return false;
      const node = JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    }, 60_000);
    timings['node Ready'] = Math.round(performance.now() - begin) / 1000;
    // kube-router exits when the Node object does not exist yet.
    const router = await startKubeRouter(context, paths.kubeRouter);
    processes.push(router);

    const objects = addonObjects({
      images: { coredns: tags.coredns, traefik: tags.traefik, ferretdb: tags.ferretdb },
      dnsIp: nodeNetwork.dnsIp, ingressIp: nodeNetwork.ingressIp, ingressNamespace, databaseNamespace,
    });
    const apply = execFile(started.kubectl, ['--kubeconfig', started.adminKubeconfig, 'apply', '--server-side', '--field-manager=testbed', '-f', '-']);
    apply.stdin?.end(objects.map((o) => stringify(o)).join('---\n'));
    await new Promise<void>((resolve, reject) => apply.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`applying the node's add-ons failed (${code})`)))));
    const deployments = [['kube-system', 'coredns'], [ingressNamespace, 'traefik'], [databaseNamespace, 'mongodb']] as const;
    await poll('CoreDNS, Traefik and FerretDB becoming available', 120_000, async () => {
      for (const [ns, name] of deployments) {
        const res = await api(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
        if (res.status !== 200 || ((JSON.parse(res.body) as { status?: { availableReplicas?: number } }).status?.availableReplicas ?? 0) < 1) return false;
      }
      return true;
    }, async () => {
      const pods = await api('/api/v1/pods');
      return (JSON.parse(pods.body) as { items: { metadata: { namespace: string; name: string }; status?: unknown }[] }).items
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}: ${JSON.stringify(p.status).slice(0, 600)}`).join('\n');
    });
    for (const p of processes) if (p.exitReason) throw new Error(`${p.name} ${p.exitReason}:\n${p.logTail()}`);
    timings['add-ons ready'] = Math.round(performance.now() - begin) / 1000;

    return {
      timings,
      stop,
      env: {
        // The real-node tests' "kube bed" is this control plane: every helper that reads FP_BED_KUBE_* talks to it.
        FP_BED_KUBE_SERVER: started.server,
        FP_BED_KUBE_CA: started.caFile,
        FP_BED_KUBE_CA_KEY: started.pki.ca.key,
        FP_BED_KUBE_ADMIN_TOKEN: started.adminToken,
        FP_BED_KUBECONFIG: started.adminKubeconfig,
        FP_BED_KUBECTL: started.kubectl,
        FP_BED_NODE_NAME: nodeNetwork.nodeName,
        FP_BED_NODE_ADDRESS: nodeNetwork.address,
        FP_BED_NODE_SERVICE_IP: nodeNetwork.serviceIp,
        FP_BED_NODE_INGRESS_URL: `http://${nodeNetwork.ingressIp}`,
        FP_BED_NODE_INGRESS_NAMESPACE: ingressNamespace,
        FP_BED_NODE_APPS_MONGO_URI: appsMongoUri,
        FP_BED_NODE_RUNNER_IMAGE: tags.runner,
        FP_BED_NODE_FERRETDB_IMAGE: tags.ferretdb,
        FP_BED_NODE_RUNNER_NODE_IMAGE: tags.runnerNode,
        FP_BED_NODE_API_IMAGE: tags.api,
        FP_BED_NODE_CONTAINERD: runtime.socket,
        FP_BED_NODE_RUNNER_ARCHIVE: images.find((i) => i.name === 'runner')?.archive ?? '',
        FP_BED_NODE_RUNNER_NODE_ARCHIVE: images.find((i) => i.name === 'runnerNode')?.archive ?? '',
        FP_BED_NODE_API_ARCHIVE: images.find((i) => i.name === 'api')?.archive ?? '',
        FP_BED_NODE_LOGS: logDir,
      },
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** `ctr` against a running node's containerd (tests kill containers with it). */
export async function nodeCtr(socket: string, args: readonly string[]): Promise<string> {
  return (await exec('ctr', ['--address', socket, '--namespace', 'k8s.io', ...args])).stdout;
}
