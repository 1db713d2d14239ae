/**
 * The Kubernetes part of the test bed: etcd, kube-apiserver (TLS, token authentication, RBAC,
 * PodSecurity admission, service-account tokens) and kube-controller-manager running only the
 * controllers that need no kubelet. Traefik's CRDs are installed before the bed reports ready.
 * There is no scheduler and no kubelet: tests that need pods to progress act as both.
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
  stop(): Promise<void>;
}

export interface KubeBedOptions {
  readonly kubeBin: string;
  readonly etcd: string;
  readonly traefikCrds: string;
  readonly workDir: string;
}

const controllers = [
  'deployment-controller', 'replicaset-controller', 'garbage-collector-controller',
  'namespace-controller', 'serviceaccount-controller', 'serviceaccount-token-controller',
];

export async function startKube(options: KubeBedOptions): Promise<KubeBed> {
  const { workDir, kubeBin } = options;
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const pki = await createPki(workDir);
    const serving = await pki.issue('apiserver', {
      cn: 'kube-apiserver',
      sans: ['IP:127.0.0.1', 'DNS:localhost', 'IP:10.0.0.1', 'DNS:kubernetes.default.svc'],
    });
    const kubeletClient = await pki.issue('apiserver-kubelet-client', { cn: 'kube-apiserver-kubelet-client', org: 'system:masters' });
    const signing = await createSigningKey(workDir);
    const adminToken = randomBytes(24).toString('hex');
    const controllerToken = randomBytes(24).toString('hex');
    const tokenFile = join(workDir, 'tokens.csv');
    await writeFile(tokenFile, [
      `${adminToken},bed-admin,bed-admin,"system:masters"`,
      `${controllerToken},system:kube-controller-manager,kcm,"system:masters"`,
    ].join('\n') + '\n', { mode: 0o600 });

    const etcd: EtcdServer = await startEtcd(options.etcd, workDir);
    started.push(etcd);

    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const apiserver = new ServerProcess({
      name: 'kube-apiserver',
      command: join(kubeBin, 'kube-apiserver'),
      logFile: join(workDir, 'kube-apiserver.log'),
      args: [
        `--etcd-servers=${etcd.url}`,
        '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${port}`,
        `--cert-dir=${workDir}`, `--tls-cert-file=${serving.cert}`, `--tls-private-key-file=${serving.key}`,
        `--client-ca-file=${pki.ca.cert}`, `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC', '--anonymous-auth=false',
        `--service-account-issuer=${serviceAccountIssuer}`,
        `--service-account-key-file=${signing.pub}`, `--service-account-signing-key-file=${signing.key}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // PodSecurity is in the default admission set; naming it makes the bed's contract explicit.
        '--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,ResourceQuota,LimitRanger',
        // pods/log and friends reach "kubelets" (test servers) over TLS signed by the bed's CA.
        `--kubelet-certificate-authority=${pki.ca.cert}`,
        `--kubelet-client-certificate=${kubeletClient.cert}`, `--kubelet-client-key=${kubeletClient.key}`,
        '--kubelet-preferred-address-types=InternalIP',
        '--enable-priority-and-fairness=false', '--profiling=false', '--allow-privileged=false',
      ],
    });
    started.push(apiserver);
    const ca = await readFile(pki.ca.cert, 'utf8');
    await apiserver.waitReady(async () => {
      const res = await httpsRequest(`${server}/readyz`, { ca, token: adminToken });
      if (res.status !== 200) throw new Error(`/readyz answered ${res.status}: ${res.body.slice(0, 300)}`);
      return true;
    }, 120_000);

    const adminKubeconfig = await writeKubeconfig(join(workDir, 'admin.kubeconfig'), {
      server, caFile: pki.ca.cert, user: 'bed-admin', token: adminToken,
    });
    const controllerKubeconfig = await writeKubeconfig(join(workDir, 'controller-manager.kubeconfig'), {
      server, caFile: pki.ca.cert, user: 'system:kube-controller-manager', token: controllerToken,
    });
    const controllerManager = new ServerProcess({
      name: 'kube-controller-manager',
      command: join(kubeBin, 'kube-controller-manager'),
      logFile: join(workDir, 'kube-controller-manager.log'),
      args: [
        `--kubeconfig=${controllerKubeconfig}`, `--controllers=${controllers.join(',')}`,
        `--service-account-private-key-file=${signing.key}`, `--root-ca-file=${pki.ca.cert}`,
        '--leader-elect=false', '--secure-port=0', '--concurrent-gc-syncs=5',
      ],
    });
    started.push(controllerManager);
    // The serviceaccount controller creating `default` in `default` proves the manager is working.
    await controllerManager.waitReady(async () => {
      const res = await httpsRequest(`${server}/api/v1/namespaces/default/serviceaccounts/default`, { ca, token: adminToken });
      return res.status === 200;
    }, 60_000);

    const kubectl = join(kubeBin, 'kubectl');
    await installCrds(kubectl, adminKubeconfig, options.traefikCrds);

    return {
      server, caFile: pki.ca.cert, adminToken, adminKubeconfig, kubectl, pki,
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
