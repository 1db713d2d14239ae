/**
 * PlatformApiAccess: the API's identity and its least-privilege access to the apps namespace. The
 * Role's rules are derived from the kinds a UserApp and a TenantDatabase synthesize (`userAppKinds`,
 * `tenantDatabaseKinds`), so it grants exactly what the API applies, with exactly the verbs server-side apply and pruning need. There is
 * no ClusterRole and no access to RBAC objects. Outside the apps namespace the API may only hold its
 * reconciler Lease in its own namespace (one replica at a time reconciles: api/k8s/lease.ts).
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { userAppKinds } from './user-app-kinds.js';
import { tenantDatabaseKinds } from './tenant-database.js';
import { platformLabels } from './labels.js';

/**
 * Verbs for the kinds the API applies: server-side apply is authorized as `patch`, and as `create`
 * when the object does not exist yet (measured: without `create` the first apply is forbidden);
 * pruning and removal need `list` and `delete`; `watch` keeps the cache of what was applied
 * (api/k8s/applied-objects.ts) that lets a reconcile pass with nothing changed write nothing.
 */
export const appliedVerbs: readonly string[] = ['create', 'patch', 'list', 'watch', 'delete'];

/**
 * What the API reads to report progress and logs from real state (the Kubernetes runtime): one watch
 * per kind on Deployments, their ReplicaSets and Pods, and Events; pods' logs. Read-only.
 */
const observedRules: readonly k8s.PolicyRule[] = [
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  // Sleep and wake set an app's replicas through the scale subresource, never through apply.
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
];

/**
 * The gateway's: where apps' ready pods are (EndpointSlices), whether an app exists and wants pods
 * (Deployments), and waking one (the scale subresource). No Secret, ConfigMap or pod of an app.
 */
export function gatewayRules(): k8s.PolicyRule[] {
  return [
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
  ];
}

/** The Lease the API's replicas elect their one reconciler with, in the platform namespace. */
export const reconcilerLeaseName = 'fastapi-platform-reconciler';

/**
 * The API's rules in its own namespace: that one Lease. `create` cannot be limited to a name (the
 * object does not exist yet when it is authorized); reading and replacing it can.
 */
export function leaseRules(): k8s.PolicyRule[] {
  return [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [reconcilerLeaseName], verbs: ['get', 'update'] },
  ];
}

export function appsNamespaceRules(): k8s.PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const kind of [...userAppKinds, ...tenantDatabaseKinds]) {
    const resources = byGroup.get(kind.group) ?? [];
    if (!resources.includes(kind.resource)) byGroup.set(kind.group, [...resources, kind.resource]);
  }
  const applied = [...byGroup.entries()].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: [...appliedVerbs] }));
  return [...applied, ...observedRules.map((rule) => ({ ...rule, verbs: [...(rule.verbs ?? [])] }))];
}

export interface PlatformApiAccessProps {
  /** Namespace the API runs in (where its ServiceAccount lives). */
  readonly platformNamespace: string;
  /** Namespace holding every user app. */
  readonly appsNamespace: string;
  /**
   * Name of the ServiceAccount, Role and RoleBinding.
   * @default 'platform-api'
   */
  readonly name?: string;
  /**
   * The component label and the Role's rules, for another platform identity (the gateway's).
   * @default - the API's: component `api`, `appsNamespaceRules()`
   */
  readonly identity?: { readonly component: string; readonly rules: k8s.PolicyRule[] };
}

export class PlatformApiAccess extends Construct {
  readonly serviceAccountName: string;
  /** The identity Kubernetes sees for the API's pods. */
  readonly username: string;

  constructor(scope: Construct, id: string, props: PlatformApiAccessProps) {
    super(scope, id);
    const name = props.name ?? 'platform-api';
    const labels = platformLabels(props.identity?.component ?? 'api');
    this.serviceAccountName = name;
    this.username = `system:serviceaccount:${props.platformNamespace}:${name}`;
    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name, namespace: props.platformNamespace, labels },
      automountServiceAccountToken: true,
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name, namespace: props.appsNamespace, labels },
      rules: props.identity?.rules ?? appsNamespaceRules(),
    });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name, namespace: props.appsNamespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.platformNamespace }],
    });
    if (props.identity) return;
    new k8s.KubeRole(this, 'LeaseRole', {
      metadata: { name: `${name}-lease`, namespace: props.platformNamespace, labels },
      rules: leaseRules(),
    });
    new k8s.KubeRoleBinding(this, 'LeaseBinding', {
      metadata: { name: `${name}-lease`, namespace: props.platformNamespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-lease` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.platformNamespace }],
    });
  }
}
