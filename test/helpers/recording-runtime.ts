/**
 * Records what the API hands a runtime (deploys, removals, test-panel requests, sleeps and wakes) and passes every call
 * on unchanged, so one contract test can check the API's side against the runtime double and against
 * the real local runtime alike.
 */
import type { DesiredApp, Runtime, RuntimeApp, RuntimeVersion, TestRequest } from '../../api/runtime/types.js';

export interface DeployCall {
  readonly app: RuntimeApp;
  readonly version: RuntimeVersion;
  readonly env: Record<string, string>;
}

export interface RuntimeCalls {
  readonly deploys: DeployCall[];
  readonly removed: string[];
  readonly requests: { appId: string; request: TestRequest }[];
  readonly sleeps: string[];
  readonly wakes: string[];
}

export function recording<R extends Runtime>(inner: R): { runtime: R; calls: RuntimeCalls } {
  const calls: RuntimeCalls = { deploys: [], removed: [], requests: [], sleeps: [], wakes: [] };
  const runtime = Object.create(inner) as R;
  Object.assign(runtime, {
    deploy: async (app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>) => {
      calls.deploys.push({ app, version, env: { ...env } });
      return inner.deploy(app, version, env);
    },
    remove: async (appId: string) => {
      calls.removed.push(appId);
      return inner.remove(appId);
    },
    request: async (appId: string, request: TestRequest) => {
      calls.requests.push({ appId, request });
      return inner.request(appId, request);
    },
    sleep: async (appId: string) => {
      calls.sleeps.push(appId);
      return inner.sleep(appId);
    },
    wake: async (appId: string, desired: () => Promise<DesiredApp | null>) => {
      calls.wakes.push(appId);
      return inner.wake(appId, desired);
    },
  });
  return { runtime, calls };
}
