/**
 * Label and annotation keys every platform object carries. Selectors use only `selectorLabels`,
 * which never change for the life of an app, because a Deployment's selector is immutable.
 */
export const labelPrefix = 'fastapi-platform.io';

export const labelKeys = {
  appId: `${labelPrefix}/app-id`,
  owner: `${labelPrefix}/owner`,
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const annotationKeys = {
  codeHash: `${labelPrefix}/code-hash`,
  envHash: `${labelPrefix}/env-hash`,
  /** On the Deployment (copied by the controller onto each new ReplicaSet): which version it runs. */
  version: `${labelPrefix}/version`,
  /** On a tenant database's pod template: a hash of its administrator's password (a new one restarts it). */
  adminHash: `${labelPrefix}/admin-hash`,
  /** On every object the API applies for an app: a hash of what it applied, so a reconcile pass that finds it unchanged writes nothing. */
  appliedHash: `${labelPrefix}/applied-hash`,
} as const;

export const managedBy = 'fastapi-platform';

export function userAppSelectorLabels(appId: string): Record<string, string> {
  return { [labelKeys.name]: 'user-app', [labelKeys.appId]: appId };
}

/** Every app pod of one tenant (each carries its owner's label): what its tenant database admits. */
export function userAppSelectorLabelsOfOwner(ownerId: string): Record<string, string> {
  return { [labelKeys.name]: 'user-app', [labelKeys.owner]: ownerId };
}

/** Labels selecting one tenant's database pods (and, with the managed-by label, all its objects). */
export function tenantDatabaseSelectorLabels(ownerId: string): Record<string, string> {
  return { [labelKeys.name]: 'tenant-database', [labelKeys.owner]: ownerId };
}

export function userAppLabels(appId: string, ownerId: string): Record<string, string> {
  return {
    ...userAppSelectorLabels(appId),
    [labelKeys.instance]: `app-${appId}`,
    [labelKeys.component]: 'user-app',
    [labelKeys.partOf]: managedBy,
    [labelKeys.managedBy]: managedBy,
    [labelKeys.owner]: ownerId,
  };
}

export function platformLabels(component: string): Record<string, string> {
  return {
    [labelKeys.name]: component,
    [labelKeys.component]: component,
    [labelKeys.partOf]: managedBy,
    [labelKeys.managedBy]: managedBy,
  };
}
