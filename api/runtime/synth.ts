/**
 * An app version's Kubernetes objects, synthesized from the UserApp construct in memory: what the
 * Kubernetes runtime applies and what every runtime shows as the app's manifests.
 */
import { languageOfEntrypoint, synthUserApp, type AppGateway, type AppNetworkProps, type AppResources, type DrainProps, type FailureWindows, type RouteTls, type SynthesizedUserApp } from '../../constructs/index.js';
import { toRecord } from '../services/files.js';
import type { RuntimeApp, RuntimeVersion } from './types.js';

export interface AppTarget {
  readonly namespace: string;
  /** The Python runner's image (runner/). */
  readonly image: string;
  /** The Node runner's image (runner-node/), for TypeScript apps. */
  readonly nodeImage: string;
  readonly appDomain: string;
  readonly tls?: RouteTls | undefined;
  readonly network?: AppNetworkProps | undefined;
  /** Startup window and progress deadline (UserApp's defaults when unset). */
  readonly failureWindows?: FailureWindows | undefined;
  readonly drain?: DrainProps | undefined;
  readonly resources?: AppResources | undefined;
  /** The gateway in front of every app (its route and the only pods its NetworkPolicy admits). */
  readonly gateway?: AppGateway | undefined;
}

/** Where apps go when no cluster says otherwise: the platform chart's apps namespace and runner image. */
export const defaultAppTarget = { namespace: 'fastapi-apps', image: 'fastapi-platform/runner:0.1.0', nodeImage: 'fastapi-platform/runner-node:0.1.0' } as const;

/** `env` is what the app gets; its PLATFORM_MONGO_URI (from the app's database binding) is the construct's `databaseUri`. */
export function synthesize(app: RuntimeApp, version: RuntimeVersion, allEnv: Readonly<Record<string, string>>, target: AppTarget): SynthesizedUserApp {
  const { PLATFORM_MONGO_URI: databaseUri, ...env } = allEnv;
  // The entrypoint's extension is the app's language (validation keeps the two in step).
  const language = languageOfEntrypoint(version.entrypoint) ?? 'python';
  return synthUserApp({
    namespace: target.namespace, appId: app.id, ownerId: app.ownerId, appDomain: target.appDomain,
    language, image: language === 'typescript' ? target.nodeImage : target.image,
    files: toRecord(version.files), entrypoint: version.entrypoint, env,
    ...(version.number > 0 ? { version: version.number } : {}),
    ...(target.tls ? { tls: target.tls } : {}),
    ...(target.network ? { network: target.network } : {}),
    ...(target.failureWindows ? { failureWindows: target.failureWindows } : {}),
    ...(target.drain ? { drain: target.drain } : {}),
    ...(target.resources ? { resources: target.resources } : {}),
    ...(target.gateway ? { gateway: target.gateway } : {}),
    ...(databaseUri ? { databaseUri } : {}),
  });
}
