/**
 * What of the host a sandbox sees, read-only: the system directories programs need (`/usr`, and
 * `/lib`, `/bin`… as the host has them: directories bound, merged-/usr symlinks recreated), the few
 * files of `/etc` that name resolution, TLS and MIME types read, and the runner's Python (its venv at
 * /opt/venv, and the installation that venv is built on). The Node runner's Node is bound per launch
 * (nodeLayout) when it lives outside /usr. Nothing of the platform's home, data directory or other apps is among them.
 */
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SandboxBind } from './bwrap-args.js';

const topLevel = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** /etc entries a web app's process reads: DNS, hosts, TLS roots, MIME types, time zone, services. */
const etcEntries = ['resolv.conf', 'hosts', 'host.conf', 'nsswitch.conf', 'gai.conf', 'services', 'protocols', 'mime.types', 'localtime', 'ssl', 'ca-certificates', 'ca-certificates.conf'];

export interface HostLayout {
  readonly symlinks: { target: string; path: string }[];
  readonly binds: SandboxBind[];
  /** The interpreter's path inside the sandbox. */
  readonly python: string;
}

const underUsr = (path: string) => path === '/usr' || path.startsWith('/usr/');

/**
 * How the sandbox runs `python` (a venv's `bin/python`, or a plain interpreter): the venv bound at
 * /opt/venv, and the installation it is built on at its own path when it lives outside /usr.
 */
export function pythonLayout(python: string): { binds: SandboxBind[]; python: string } {
  const venv = dirname(dirname(python));
  const cfg = join(venv, 'pyvenv.cfg');
  if (existsSync(cfg)) {
    const home = /^home\s*=\s*(.+)$/m.exec(readFileSync(cfg, 'utf8'))?.[1]?.trim();
    const prefix = home ? dirname(realpathSync(home)) : null;
    const binds: SandboxBind[] = [{ writable: false, source: venv, dest: '/opt/venv' }];
    if (prefix && !underUsr(prefix)) binds.push({ writable: false, source: prefix, dest: prefix });
    return { binds, python: `/opt/venv/bin/${python.slice(python.lastIndexOf('/') + 1)}` };
  }
  const real = realpathSync(python);
  const prefix = dirname(dirname(real));
  return { binds: underUsr(prefix) ? [] : [{ writable: false, source: prefix, dest: prefix }], python: real };
}

/**
 * How the sandbox runs `node` for the Node runner: the real executable at its own path, with its
 * installation bound read-only when it lives outside /usr (nvm, a tarball under /opt).
 */
export function nodeLayout(node: string): { binds: SandboxBind[]; node: string } {
  const real = realpathSync(node);
  const prefix = dirname(dirname(real));
  return { binds: underUsr(prefix) ? [] : [{ writable: false, source: prefix, dest: prefix }], node: real };
}

export function hostLayout(python: string): HostLayout {
  const symlinks: { target: string; path: string }[] = [];
  const binds: SandboxBind[] = [{ writable: false, source: '/usr', dest: '/usr' }];
  for (const path of topLevel) {
    if (!existsSync(path)) continue;
    if (lstatSync(path).isSymbolicLink()) symlinks.push({ target: readlinkSync(path), path });
    else binds.push({ writable: false, source: path, dest: path });
  }
  for (const name of etcEntries) {
    const path = join('/etc', name);
    if (existsSync(path)) binds.push({ writable: false, source: realpathSync(path), dest: path });
  }
  const runtime = pythonLayout(python);
  return { symlinks, binds: [...binds, ...runtime.binds], python: runtime.python };
}
