/**
 * The reading side of the test bed: test/run.ts passes each component's endpoint (or the reason it
 * could not start) through FP_BED_* variables. Each accessor throws that reason, so a test that needs
 * a missing component fails saying which and why; nothing is skipped.
 */

function required(name: string, component: string): string {
  const value = process.env[`FP_BED_${name}`];
  if (value) return value;
  const reason = process.env[`FP_BED_${component}_ERROR`];
  throw new Error(reason ?? `FP_BED_${name} is not set: run the tests through \`npm test\` (test/run.ts starts the test bed)`);
}

export interface KubeEndpoints {
  readonly server: string;
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly adminToken: string;
  readonly adminKubeconfig: string;
  readonly kubectl: string;
}

export function kubeBed(): KubeEndpoints {
  return {
    server: required('KUBE_SERVER', 'KUBE'),
    caFile: required('KUBE_CA', 'KUBE'),
    caKeyFile: required('KUBE_CA_KEY', 'KUBE'),
    adminToken: required('KUBE_ADMIN_TOKEN', 'KUBE'),
    adminKubeconfig: required('KUBECONFIG', 'KUBE'),
    kubectl: required('KUBECTL', 'KUBE'),
  };
}

export function mongoUri(): string {
  return required('MONGO_URI', 'MONGO');
}

export function venvPython(): string {
  return required('PYTHON', 'PYTHON');
}

export function chromiumPath(): string {
  return required('CHROMIUM', 'CHROMIUM');
}

export function bedDir(): string {
  return required('DIR', 'BED');
}

/** A short random suffix for namespaces and database names, so test files can run concurrently. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}
