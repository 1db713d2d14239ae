/** The public construct surface: user apps, the platform's own building blocks, and their contracts. */
export { UserApp } from './user-app.js';
export { userAppNames, userAppWorkloadName, runnerUid, runnerPort, runnerHealthPath, codeMountPath } from './user-app-props.js';
export type { UserAppProps, UserAppNames, AppGateway, AppResources, AppNetworkProps, DatabaseEndpoint, FailureWindows, DrainProps } from './user-app-props.js';
export { appLanguages, defaultEntrypoints, entrypointExtensions, languageOfEntrypoint } from './languages.js';
export type { AppLanguage } from './languages.js';
export { UserAppChart, synthUserApp } from './user-app-chart.js';
export type { UserAppChartProps, ManifestObject, SynthesizedUserApp } from './user-app-chart.js';
export { userAppKinds } from './user-app-kinds.js';
export type { AppliedKind } from './user-app-kinds.js';
export { appHostName, appIdOfHost, appUrl } from './app-host.js';
export { HostRoute } from './host-route.js';
export type { HostRouteProps, HostRouteBackend, RouteTls } from './host-route.js';
export { PodNetworkPolicy, privateCidrs, dnsEgress, internetEgress } from './pod-network-policy.js';
export type { PodNetworkPolicyProps, NetworkPeer, NetworkPort, TrafficRule } from './pod-network-policy.js';
export { envNameProblem, isLoaderVariable, reservedEnvNames, reservedEnvPrefixes } from './env-names.js';
export { labelKeys, annotationKeys, managedBy, platformLabels, tenantDatabaseSelectorLabels, userAppSelectorLabelsOfOwner } from './labels.js';
export { fileKey, filePath } from './file-keys.js';
export { PlatformApiAccess, appsNamespaceRules, appliedVerbs, gatewayRules, leaseRules, reconcilerLeaseName } from './platform-api-access.js';
export type { PlatformApiAccessProps } from './platform-api-access.js';
export { PlatformService } from './platform-service.js';
export type { PlatformServiceProps, ServiceResources } from './platform-service.js';
export { RestrictedNamespace, podSecurityLabels } from './restricted-namespace.js';
export type { RestrictedNamespaceProps } from './restricted-namespace.js';
export { gatewayName, platformGateway } from './platform-gateway.js';
export {
  TenantDatabase, synthTenantDatabase, tenantDatabaseName, tenantDatabaseHost, tenantDatabaseLabels, tenantDatabaseKinds,
  tenantDatabasePort, tenantDatabaseUid, tenantDatabasePasswordKey, tenantDatabaseAdmin,
} from './tenant-database.js';
export type { TenantDatabaseProps, TenantDatabaseChartProps, TenantDatabaseStorage, TenantDatabasePlatformPeer } from './tenant-database.js';
