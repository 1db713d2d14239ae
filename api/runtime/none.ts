/** The runtime when none is configured (RUNTIME=none): everything works except running apps, which says why. */
import { synthUserApp, type ManifestObject } from '../../constructs/index.js';
import { UnavailableError } from '../errors.js';
import type { Runtime, RuntimeApp, RuntimeVersion } from './types.js';
import { toRecord } from '../services/files.js';

/** Where apps go when no cluster says otherwise: the platform chart's apps namespace and runner image. */
export const defaultAppTarget = { namespace: 'fastapi-apps', image: 'fastapi-platform/runner:0.1.0' } as const;

export function manifestsFor(app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>, options: { namespace: string; image: string; appDomain: string }): ManifestObject[] {
  return synthUserApp({
    namespace: options.namespace, appId: app.id, ownerId: app.ownerId, appDomain: options.appDomain, image: options.image,
    files: toRecord(version.files), entrypoint: version.entrypoint, env,
  }).objects;
}

export function noRuntime(options: { appDomain: string }): Runtime {
  const refuse = () => new UnavailableError('No runtime is configured (RUNTIME=none); apps cannot run on this platform.');
  return {
    kind: 'none',
    deploy: async () => { throw refuse(); },
    remove: async () => {},
    status: async (appId) => ({ phase: 'absent', servingVersion: null, targetVersion: null, url: `https://app-${appId}.${options.appDomain}`, message: null }),
    progress: async function* () {},
    events: async () => [],
    logs: async function* () {},
    manifests: (app, version, env) => manifestsFor(app, version, env, { ...defaultAppTarget, appDomain: options.appDomain }),
    request: async () => { throw refuse(); },
    url: (appId) => `https://app-${appId}.${options.appDomain}`,
    close: async () => {},
  };
}
