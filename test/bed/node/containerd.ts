/**
 * containerd (Debian's 1.6) for the real node, with its own config, root, state and socket under the
 * node's directories, and the CNI bridge network the pods get their addresses from. Settings that
 * matter here (REAL-NODE.md): `restrict_oom_score_adj` (without CAP_SYS_RESOURCE every sandbox fails),
 * the locally built pause image as the sandbox image (nothing is ever pulled), cgroupfs.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ServerProcess } from '../../../scripts/lib/server-process.js';
import { nodeHost } from './host.js';

const exec = promisify(execFile);

export const pauseImage = 'registry.k8s.io/pause:3.10';

export interface Containerd {
  readonly socket: string;
  readonly process: ServerProcess;
  /** `ctr` against this containerd, in the kubelet's namespace. */
  ctr(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface NetworkConfig {
  readonly podCidr: string;
  readonly gateway: string;
}

async function writeCni(dir: string, network: NetworkConfig): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '10-fp-bed.conflist'), JSON.stringify({
    cniVersion: '1.0.0',
    name: 'fp-bed',
    plugins: [
      {
        type: 'bridge', bridge: nodeHost.bridge, isGateway: true, ipMasq: true, hairpinMode: true,
        ipam: {
          type: 'host-local', ranges: [[{ subnet: network.podCidr, gateway: network.gateway }]], routes: [{ dst: '0.0.0.0/0' }],
          dataDir: join(nodeHost.stateDir, 'cni-ipam'),
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }, null, 2));
}

export async function startContainerd(logDir: string, network: NetworkConfig): Promise<Containerd> {
  const root = join(nodeHost.stateDir, 'containerd');
  const socket = join(nodeHost.runDir, 'containerd.sock');
  const cniDir = join(nodeHost.stateDir, 'cni');
  await writeCni(cniDir, network);
  const config = join(nodeHost.stateDir, 'containerd.toml');
  await writeFile(config, `version = 2
root = "${root}/root"
state = "${nodeHost.runDir}/containerd-state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "${socket}"

[ttrpc]
  address = "${socket}.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "${root}/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pauseImage}"
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${cniDir}"
`);
  const process = new ServerProcess({
    name: 'containerd',
    command: 'containerd',
    args: ['--config', config, '--log-level', 'warn'],
    logFile: join(logDir, 'containerd.log'),
  });
  const ctr = async (args: readonly string[]): Promise<string> =>
    (await exec('ctr', ['--address', socket, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  try {
    await process.waitReady(async () => {
      await exec('ctr', ['--address', socket, 'version'], { timeout: 5000 });
      return true;
    }, 30_000);
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { socket, process, ctr, stop: () => process.stop(10_000) };
}
