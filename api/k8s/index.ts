/** The platform's cluster access (STYLE.md §10): the only folder that imports @kubernetes/client-node. */
export { connectKube } from './client.js';
export type { KubeClient, KubeSource } from './client.js';
export { applyObjects, fieldManager, describeRef } from './apply.js';
export type { ApplyObject, ApplyResult, AppliedObject, ObjectRef, Takeover } from './apply.js';
export { prune, removeAll, listManaged } from './prune.js';
export type { ManagedKind, PruneScope } from './prune.js';
export { toDomainError } from './errors.js';
export { applyUserApp, removeUserApp, userAppScope } from './user-app.js';
export type { AppApplyResult } from './user-app.js';
