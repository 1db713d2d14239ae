/**
 * The platform's own identity on the bed: the ServiceAccount, Role and RoleBinding synthesized by
 * PlatformApiAccess (the same construct the platform chart uses), applied by the admin, and a real
 * bound token for that ServiceAccount from the TokenRequest API.
 */
import { App, Chart } from 'cdk8s';
import { PlatformApiAccess, gatewayName, gatewayRules } from '../../constructs/index.js';
import { adminApply } from './kubectl.js';
import { KubeRest } from './kube-rest.js';
import { uniqueName } from './bed.js';

export interface PlatformNamespaces {
  readonly platformNamespace: string;
  readonly appsNamespace: string;
  readonly token: string;
  readonly username: string;
}

/** Anything that can run clean-up later: an ava ExecutionContext, or a benchmark's own list. */
export interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

async function tokenOf(admin: KubeRest, namespace: string, serviceAccount: string): Promise<string> {
  const res = await admin.call<{ status?: { token?: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  const token = res.body.status?.token;
  if (res.status !== 201 || !token) throw new Error(`TokenRequest → ${res.status}: ${JSON.stringify(res.body)}`);
  return token;
}

/** The gateway's identity (the chart's `platform-gateway` ServiceAccount and Role) in the test's namespaces, and a token. */
export async function gatewayIdentity(namespaces: PlatformNamespaces): Promise<string> {
  const chart = new Chart(new App(), 'gateway-access', { disableResourceNameHashes: true });
  const access = new PlatformApiAccess(chart, 'Access', {
    name: 'platform-gateway', platformNamespace: namespaces.platformNamespace, appsNamespace: namespaces.appsNamespace,
    identity: { component: gatewayName, rules: gatewayRules() },
  });
  await adminApply(chart.toJson());
  return tokenOf(KubeRest.admin(), namespaces.platformNamespace, access.serviceAccountName);
}

/** Creates a platform namespace and a restricted apps namespace, the API's RBAC, and a token. */
export async function platformNamespaces(t: Teardown, prefix: string): Promise<PlatformNamespaces> {
  const admin = KubeRest.admin();
  const appsNamespace = await admin.namespace(t, uniqueName(`${prefix}-apps`), {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
  });
  const platformNamespace = await admin.namespace(t, uniqueName(`${prefix}-platform`));
  const chart = new Chart(new App(), 'access', { disableResourceNameHashes: true });
  const access = new PlatformApiAccess(chart, 'Access', { platformNamespace, appsNamespace });
  await adminApply(chart.toJson());
  const token = await tokenOf(admin, platformNamespace, access.serviceAccountName);
  return { platformNamespace, appsNamespace, token, username: access.username };
}
