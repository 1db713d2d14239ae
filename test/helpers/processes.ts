/**
 * The host's view of processes, from /proc (the tests run as root on Linux): a process's children
 * and descendants, its real UID, and the TCP ports a set of processes listens on.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';

interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly cmdline: string;
}

export async function processes(): Promise<ProcInfo[]> {
  const found: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
    found.push({ pid: Number(name), ppid: Number(fields[1]), state: fields[0] ?? '', cmdline });
  }
  return found;
}

/** Every live (not zombie) descendant of `root`. */
export async function descendants(root: number): Promise<ProcInfo[]> {
  const all = await processes();
  const out: ProcInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const p of all) {
      if (p.ppid === parent && p.state !== 'Z') {
        out.push(p);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

export async function realUid(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

/** TCP ports (IPv4 and IPv6) in LISTEN state whose sockets belong to one of `pids`. */
export async function listeningPorts(pids: readonly number[]): Promise<number[]> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      // local_address is ip:port in hex; st 0A is LISTEN; inode is the tenth column.
      if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) ports.add(parseInt(cols[1]?.split(':')[1] ?? '0', 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
