/**
 * The kinds a UserApp synthesizes, with their API resource names. The platform's RBAC Role is
 * derived from this table (it grants exactly these), and prune/remove list exactly these; a test
 * checks that synthesis produces exactly these kinds, so the table cannot drift.
 */
export interface AppliedKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** The API group ('' for core). */
  readonly group: string;
  /** The plural resource name used by RBAC and REST paths. */
  readonly resource: string;
}

export const userAppKinds: readonly AppliedKind[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', group: '', resource: 'configmaps' },
  { apiVersion: 'v1', kind: 'Secret', group: '', resource: 'secrets' },
  { apiVersion: 'apps/v1', kind: 'Deployment', group: 'apps', resource: 'deployments' },
  { apiVersion: 'v1', kind: 'Service', group: '', resource: 'services' },
  { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', group: 'traefik.io', resource: 'ingressroutes' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', group: 'networking.k8s.io', resource: 'networkpolicies' },
];
