/**
 * The test bed: one per `npm test` run. It starts every real component the tests talk to, in
 * parallel, and hands their endpoints to the test processes as environment variables (see
 * test/helpers/bed.ts for the reading side). A component that cannot start does not stop the others:
 * its error is passed on instead, so exactly the tests that need it fail, with the reason.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKube, type KubeBed } from './kube.js';
import { startMongo, type MongoBed } from './mongo.js';
import { readBedPaths } from './paths.js';

export interface Bed {
  /** FP_BED_* variables for the test processes. */
  readonly env: Record<string, string>;
  /** Seconds each component took to become ready. */
  readonly timings: Record<string, number>;
  stop(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timed<T>(timings: Record<string, number>, name: string, start: () => Promise<T>): Promise<T> {
  const begin = performance.now();
  try {
    return await start();
  } finally {
    timings[name] = Math.round(performance.now() - begin) / 1000;
  }
}

async function executable(path: string, what: string): Promise<string> {
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    throw new Error(`${what} not found at ${path}: scripts/setup.sh installs it; see its log under ~/.cache/fastapi-platform/logs`);
  }
}

export type BedComponent = 'kube' | 'mongo' | 'python' | 'chromium';

/** Starts the bed; benchmarks may ask for only the components they measure. */
export async function startBed(only: readonly BedComponent[] = ['kube', 'mongo', 'python', 'chromium']): Promise<Bed> {
  const workDir = await mkdtemp(join(tmpdir(), 'fp-bed-'));
  const env: Record<string, string> = { FP_BED_DIR: workDir };
  const timings: Record<string, number> = {};
  let paths: ReturnType<typeof readBedPaths>;
  try {
    paths = readBedPaths();
  } catch (error) {
    const reason = describe(error);
    for (const part of ['KUBE', 'MONGO', 'PYTHON', 'CHROMIUM']) env[`FP_BED_${part}_ERROR`] = reason;
    return { env, timings, stop: () => rm(workDir, { recursive: true, force: true }) };
  }

  const skipped = (name: BedComponent) => Promise.reject(new Error(`${name} was not requested from the bed`));
  const [kube, mongo, python, chromium] = await Promise.allSettled([
    !only.includes('kube') ? skipped('kube') : timed(timings, 'kube', async () => {
      await executable(join(paths.kubeBin, 'kube-apiserver'), 'kube-apiserver');
      await executable(paths.etcd, 'etcd (Debian etcd-server)');
      return startKube({ kubeBin: paths.kubeBin, etcd: paths.etcd, traefikCrds: paths.traefikCrds, workDir });
    }),
    !only.includes('mongo') ? skipped('mongo') : timed(timings, 'mongo', async () => {
      if (!process.env.MONGO_URI) await executable(paths.ferretdb, 'FerretDB');
      return startMongo({ ferretdb: paths.ferretdb, workDir, externalUri: process.env.MONGO_URI });
    }),
    !only.includes('python') ? skipped('python') : executable(join(paths.venv, 'bin', 'python'), 'the runner venv'),
    !only.includes('chromium') ? skipped('chromium') : executable(paths.chromium, 'Chromium (Debian chromium)'),
  ]);

  const stops: (() => Promise<void>)[] = [];
  if (kube.status === 'fulfilled') {
    const k: KubeBed = kube.value;
    Object.assign(env, {
      FP_BED_KUBE_SERVER: k.server,
      FP_BED_KUBE_CA: k.caFile,
      FP_BED_KUBE_CA_KEY: k.pki.ca.key,
      FP_BED_KUBE_ADMIN_TOKEN: k.adminToken,
      FP_BED_KUBECONFIG: k.adminKubeconfig,
      FP_BED_KUBECTL: k.kubectl,
    });
    stops.push(() => k.stop());
  } else {
    env.FP_BED_KUBE_ERROR = `the Kubernetes test bed did not start: ${describe(kube.reason)}`;
  }
  if (mongo.status === 'fulfilled') {
    const m: MongoBed = mongo.value;
    env.FP_BED_MONGO_URI = m.uri;
    env.FP_BED_MONGO_KIND = m.kind;
    stops.push(() => m.stop());
  } else {
    env.FP_BED_MONGO_ERROR = `the MongoDB-protocol server did not start: ${describe(mongo.reason)}`;
  }
  if (python.status === 'fulfilled') env.FP_BED_PYTHON = python.value;
  else env.FP_BED_PYTHON_ERROR = describe(python.reason);
  if (chromium.status === 'fulfilled') env.FP_BED_CHROMIUM = chromium.value;
  else env.FP_BED_CHROMIUM_ERROR = describe(chromium.reason);

  return {
    env,
    timings,
    async stop() {
      await Promise.allSettled(stops.map((stop) => stop()));
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
