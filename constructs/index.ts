/** The public construct surface: user apps, the platform's own building blocks, and their contracts. */
export { UserApp, userAppNames, runnerUid, runnerPort, runnerHealthPath, codeMountPath } from './user-app.js';
export type { UserAppProps, UserAppNames, AppResources, AppNetworkProps, DatabaseEndpoint } from './user-app.js';
export { UserAppChart, synthUserApp } from './user-app-chart.js';
export type { UserAppChartProps, ManifestObject, SynthesizedUserApp } from './user-app-chart.js';
export { userAppKinds } from './user-app-kinds.js';
export type { AppliedKind } from './user-app-kinds.js';
export { HostRoute } from './host-route.js';
export type { HostRouteProps, HostRouteBackend, RouteTls } from './host-route.js';
export { PodNetworkPolicy, privateCidrs, dnsEgress, internetEgress } from './pod-network-policy.js';
export type { PodNetworkPolicyProps, NetworkPeer, NetworkPort, TrafficRule } from './pod-network-policy.js';
export { envNameProblem, reservedEnvNames, reservedEnvPrefixes } from './env-names.js';
export { labelKeys, annotationKeys, managedBy } from './labels.js';
export { fileKey, filePath } from './file-keys.js';
export { PlatformApiAccess, appsNamespaceRules, appliedVerbs } from './platform-api-access.js';
export type { PlatformApiAccessProps } from './platform-api-access.js';
