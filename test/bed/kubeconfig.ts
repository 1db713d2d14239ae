/** Writes a kubeconfig file for one bearer-token identity on the bed's apiserver. */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigIdentity {
  readonly server: string;
  readonly caFile: string;
  readonly user: string;
  readonly token: string;
  readonly namespace?: string;
}

export function kubeconfigYaml(identity: KubeconfigIdentity): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'testbed', cluster: { server: identity.server, 'certificate-authority': identity.caFile } }],
    users: [{ name: identity.user, user: { token: identity.token } }],
    contexts: [{
      name: identity.user,
      context: { cluster: 'testbed', user: identity.user, ...(identity.namespace ? { namespace: identity.namespace } : {}) },
    }],
    'current-context': identity.user,
  });
}

export async function writeKubeconfig(file: string, identity: KubeconfigIdentity): Promise<string> {
  await writeFile(file, kubeconfigYaml(identity), { mode: 0o600 });
  return file;
}
