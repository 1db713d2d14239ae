/** The runtime when none is configured (RUNTIME=none): everything works except running apps, which says why. */
import type { ManifestObject } from '../../constructs/index.js';
import { UnavailableError } from '../errors.js';
import type { Runtime, RuntimeApp, RuntimeVersion } from './types.js';
import { defaultAppTarget, synthesize } from './synth.js';

export function manifestsFor(app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>, options: { appDomain: string }): ManifestObject[] {
  return synthesize(app, version, env, { ...defaultAppTarget, appDomain: options.appDomain }).objects;
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
    ensure: async () => {},
    sleep: async () => {},
    wake: async () => { throw refuse(); },
    appIds: async () => [],
    logs: async function* () {},
    manifests: (app, version, env) => manifestsFor(app, version, env, { appDomain: options.appDomain }),
    request: async () => { throw refuse(); },
    url: (appId) => `https://app-${appId}.${options.appDomain}`,
    close: async () => {},
  };
}
