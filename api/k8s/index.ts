/** The platform's cluster access (STYLE.md §10): the only folder that imports @kubernetes/client-node. */
export { connectKube } from './client.js';
export type { KubeClient, KubeSource } from './client.js';
export { applyObjects, fieldManager, describeRef } from './apply.js';
export type { ApplyObject, ApplyResult, AppliedObject, ObjectRef, Takeover } from './apply.js';
export { prune, removeAll, listManaged } from './prune.js';
export type { ManagedKind, PruneScope } from './prune.js';
export { toDomainError } from './errors.js';
export { applyUserApp, listAppIds, removeUserApp, userAppScope } from './user-app.js';
export type { AppApplyResult } from './user-app.js';
export { AppWatch, eventTime } from './app-watch.js';
export type { AppWorkload, WatchedKind } from './app-watch.js';
export { podLogLines } from './pod-logs.js';
export type { PodLogOptions, TimestampedLine } from './pod-logs.js';
export type { DeploymentJson, ReplicaSetJson, PodJson, EventJson, ContainerStatusJson } from './objects.js';
export { AppEndpoints } from './app-endpoints.js';
export type { AppAddress, EndpointSliceJson } from './app-endpoints.js';
export { scaleDeployment, scaleFieldManager } from './scale.js';
