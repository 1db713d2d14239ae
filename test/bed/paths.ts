/**
 * Where scripts/setup.sh put the test bed's binaries: it writes `.setup/paths.env`, keyed by the
 * versions in scripts/versions.env, and this module reads it so TypeScript never guesses a path.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface BedPaths {
  readonly cacheDir: string;
  readonly kubeBin: string;
  readonly ferretdb: string;
  readonly traefikCrds: string;
  readonly venv: string;
  readonly etcd: string;
  readonly chromium: string;
  /** The real node's add-ons and the images' base layers (scripts/rootfs.sh). */
  readonly coredns: string;
  readonly traefik: string;
  readonly kubeRouter: string;
  readonly rootfs: string;
  /** The host's CPython 3.11 (the images carry a copy of it). */
  readonly hostPython: string;
  /** Helm v3 (scripts/setup.sh helm); empty when that set-up has not run. */
  readonly helm: string;
}

/** Reads `.setup/paths.env`; throws a sentence naming the set-up command when it is missing. */
export function readBedPaths(file = `${repoRoot}.setup/paths.env`): BedPaths {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: run scripts/setup.sh (npm test does this) before starting the test bed`);
  }
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const get = (key: string): string => {
    const value = env.get(key);
    if (!value) throw new Error(`${file} has no ${key}: rerun scripts/setup.sh`);
    return value;
  };
  return {
    cacheDir: get('FP_CACHE_DIR'),
    kubeBin: get('FP_KUBE_BIN'),
    ferretdb: get('FP_FERRETDB'),
    traefikCrds: get('FP_TRAEFIK_CRDS'),
    venv: get('FP_VENV'),
    etcd: get('FP_ETCD'),
    chromium: get('FP_CHROMIUM'),
    coredns: get('FP_COREDNS'),
    traefik: get('FP_TRAEFIK'),
    kubeRouter: get('FP_KUBE_ROUTER'),
    rootfs: get('FP_ROOTFS'),
    hostPython: get('FP_HOST_PYTHON'),
    helm: env.get('FP_HELM') ?? '',
  };
}
