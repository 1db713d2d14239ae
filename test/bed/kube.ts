/**
 * The Kubernetes part of the test bed: etcd, kube-apiserver (TLS, token authentication, RBAC,
 * PodSecurity admission, service-account tokens) and kube-controller-manager. Traefik's CRDs are
 * installed before the bed reports ready. Two profiles:
 *  - `fixtures` (every `npm test`): only the controllers that need no kubelet, no scheduler, no node
 *    lifecycle; tests that need pods to progress act as scheduler and kubelet, and nothing taints
 *    their fake nodes or schedules their hand-bound pods;
 *  - `node` (the real node, test/bed/node/): Node+RBAC authorization and NodeRestriction, every
 *    controller but node IPAM and the cloud's, a scheduler, an advertised address the pods reach.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPki, createSigningKey, type Pki } from './certs.js';
import { startEtcd, type EtcdServer } from './etcd.js';
import { httpsRequest } from './https.js';
import { writeKubeconfig } from './kubeconfig.js';
import { freePort } from '../../scripts/lib/ports.js';
import { ServerProcess } from '../../scripts/lib/server-process.js';

const run = promisify(execFile);

export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

export interface KubeBed {
  readonly server: string;
  readonly caFile: string;
  readonly adminToken: string;
  readonly adminKubeconfig: string;
  readonly kubectl: string;
  readonly pki: Pki;
  /** Bearer tokens of the control plane's own clients (system:masters), for the node's components. */
  readonly componentTokens: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** What the real node's control plane adds to the fixtures profile. */
export interface NodeControlPlane {
  /** The node's address: the apiserver binds and advertises it, so pods reach it through its ClusterIP. */
  readonly address: string;
  readonly port: number;
  readonly serviceCidr: string;
  /** The first address of serviceCidr (the `kubernetes` Service), in the serving certificate. */
  readonly serviceIp: string;
  /** Component names that get a token (kube-scheduler, kube-proxy, kube-router). */
  readonly components: readonly string[];
  /** Where configuration files go (under the node's state directory, so a crashed run's processes can be found). */
  readonly configDir: string;
  /** Where etcd's data goes (a tmpfs under the node's run directory, for the same reason). */
  readonly etcdDir: string;
}

export interface KubeBedOptions {
  readonly kubeBin: string;
  readonly etcd: string;
  readonly traefikCrds: string;
  readonly workDir: string;
  /** The real node's control plane; the fixtures profile when absent. */
  readonly node?: NodeControlPlane;
}

const fixtureControllers = [
  'deployment-controller', 'replicaset-controller', 'garbage-collector-controller',
  'namespace-controller', 'serviceaccount-controller', 'serviceaccount-token-controller',
];
/** A single real node: everything but node IPAM (the node's podCIDR is configured) and the cloud's. */
const nodeControllers = ['*', '-node-ipam-controller', '-cloud-node-lifecycle-controller'];

export async function startKube(options: KubeBedOptions): Promise<KubeBed> {
  const { workDir, kubeBin, node } = options;
  const configDir = node?.configDir ?? workDir;
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const pki = await createPki(configDir);
    const address = node?.address ?? '127.0.0.1';
    const serving = await pki.issue('apiserver', {
      cn: 'kube-apiserver',
      sans: [`IP:${address}`, 'IP:127.0.0.1', 'DNS:localhost', `IP:${node?.serviceIp ?? '10.0.0.1'}`,
        'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local'],
    });
    const kubeletClient = await pki.issue('apiserver-kubelet-client', { cn: 'kube-apiserver-kubelet-client', org: 'system:masters' });
    const signing = await createSigningKey(configDir);
    const adminToken = randomBytes(24).toString('hex');
    const controllerToken = randomBytes(24).toString('hex');
    const componentTokens = Object.fromEntries((node?.components ?? []).map((name) => [name, randomBytes(24).toString('hex')]));
    const tokenFile = join(configDir, 'tokens.csv');
    await writeFile(tokenFile, [
      `${adminToken},bed-admin,bed-admin,"system:masters"`,
      `${controllerToken},system:kube-controller-manager,kcm,"system:masters"`,
      ...Object.entries(componentTokens).map(([name, token]) => `${token},system:${name},${name},"system:masters"`),
    ].join('\n') + '\n', { mode: 0o600 });

    const etcd: EtcdServer = await startEtcd(options.etcd, workDir, node ? 'node' : 'fixtures', node?.etcdDir);
    started.push(etcd);

    const port = node?.port ?? await freePort();
    const server = `https://${address}:${port}`;
    const profile = node
      ? [
        '--authorization-mode=Node,RBAC', `--service-cluster-ip-range=${node.serviceCidr}`, '--allow-privileged=true',
        '--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,NodeRestriction,PodSecurity,ResourceQuota,LimitRanger,DefaultTolerationSeconds',
        '--kubelet-preferred-address-types=InternalIP,Hostname', '--endpoint-reconciler-type=lease',
      ]
      : [
        '--authorization-mode=RBAC', '--service-cluster-ip-range=10.0.0.0/16', '--allow-privileged=false',
        // Room for bench/scale's 10,000 apps' Services (a /24 holds 254).
        // PodSecurity is in the default admission set; naming it makes the bed's contract explicit.
        '--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,ResourceQuota,LimitRanger',
        '--kubelet-preferred-address-types=InternalIP',
      ];
    const apiserver = new ServerProcess({
      name: 'kube-apiserver',
      command: join(kubeBin, 'kube-apiserver'),
      logFile: join(workDir, 'kube-apiserver.log'),
      args: [
        `--etcd-servers=${etcd.url}`,
        `--bind-address=${address}`, `--advertise-address=${address}`, `--secure-port=${port}`,
        `--cert-dir=${configDir}`, `--tls-cert-file=${serving.cert}`, `--tls-private-key-file=${serving.key}`,
        `--client-ca-file=${pki.ca.cert}`, `--token-auth-file=${tokenFile}`, '--anonymous-auth=false',
        `--service-account-issuer=${serviceAccountIssuer}`,
        `--service-account-key-file=${signing.pub}`, `--service-account-signing-key-file=${signing.key}`,
        // pods/log and friends reach kubelets (the node's, or test servers) over TLS signed by the bed's CA.
        `--kubelet-certificate-authority=${pki.ca.cert}`,
        `--kubelet-client-certificate=${kubeletClient.cert}`, `--kubelet-client-key=${kubeletClient.key}`,
        '--enable-priority-and-fairness=false', '--profiling=false',
        ...profile,
      ],
    });
    started.push(apiserver);
    const ca = await readFile(pki.ca.cert, 'utf8');
    await apiserver.waitReady(async () => {
      const res = await httpsRequest(`${server}/readyz`, { ca, token: adminToken });
      if (res.status !== 200) throw new Error(`/readyz answered ${res.status}: ${res.body.slice(0, 300)}`);
      return true;
    }, 120_000);

    const adminKubeconfig = await writeKubeconfig(join(configDir, 'admin.kubeconfig'), {
      server, caFile: pki.ca.cert, user: 'bed-admin', token: adminToken,
    });
    const controllerKubeconfig = await writeKubeconfig(join(configDir, 'controller-manager.kubeconfig'), {
      server, caFile: pki.ca.cert, user: 'system:kube-controller-manager', token: controllerToken,
    });
    const controllerManager = new ServerProcess({
      name: 'kube-controller-manager',
      command: join(kubeBin, 'kube-controller-manager'),
      logFile: join(workDir, 'kube-controller-manager.log'),
      args: [
        `--kubeconfig=${controllerKubeconfig}`, `--controllers=${(node ? nodeControllers : fixtureControllers).join(',')}`,
        `--service-account-private-key-file=${signing.key}`, `--root-ca-file=${pki.ca.cert}`,
        '--leader-elect=false', '--secure-port=0', '--concurrent-gc-syncs=5',
        ...(node ? [
          '--use-service-account-credentials=true', `--cluster-signing-cert-file=${pki.ca.cert}`, `--cluster-signing-key-file=${pki.ca.key}`,
          // Rollouts in tests: a ReplicaSet's pods are made as soon as it is, not after the default 1 s batch.
          '--concurrent-deployment-syncs=10', '--concurrent-replicaset-syncs=10',
        ] : []),
      ],
    });
    started.push(controllerManager);
    // The serviceaccount controller creating `default` in `default` proves the manager is working.
    await controllerManager.waitReady(async () => {
      const res = await httpsRequest(`${server}/api/v1/namespaces/default/serviceaccounts/default`, { ca, token: adminToken });
      return res.status === 200;
    }, 60_000);

    if (node) {
      const schedulerKubeconfig = await writeKubeconfig(join(configDir, 'kube-scheduler.kubeconfig'), {
        server, caFile: pki.ca.cert, user: 'system:kube-scheduler', token: componentTokens['kube-scheduler'] ?? '',
      });
      const scheduler = new ServerProcess({
        name: 'kube-scheduler',
        command: join(kubeBin, 'kube-scheduler'),
        logFile: join(workDir, 'kube-scheduler.log'),
        args: [`--kubeconfig=${schedulerKubeconfig}`, '--leader-elect=false', '--secure-port=0', '--profiling=false'],
      });
      started.push(scheduler);
    }

    const kubectl = join(kubeBin, 'kubectl');
    await installCrds(kubectl, adminKubeconfig, options.traefikCrds);

    return {
      server, caFile: pki.ca.cert, adminToken, adminKubeconfig, kubectl, pki, componentTokens,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function installCrds(kubectl: string, kubeconfig: string, file: string): Promise<void> {
  const args = ['--kubeconfig', kubeconfig];
  try {
    await run(kubectl, [...args, 'apply', '--server-side', '--field-manager=testbed', '-f', file]);
    await run(kubectl, [...args, 'wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(`installing Traefik's CRDs from ${file} failed: ${detail}`, { cause: error });
  }
}
