/**
 * The gateway's view of the local runtime: an app's serving runner (its Unix socket), waited for while
 * the app starts (a first deploy, a crash restart), and the process that replaces one that died under
 * a request. In-flight requests are counted on the runner, so a rollout retires an old process only
 * once nothing is being relayed from it.
 */
import type { AppBackend, Resolution, Upstream } from '../../gateway/index.js';
import type { AppSupervisor, Serving } from './supervisor.js';

function upstreamOf(serving: Serving): Upstream {
  return {
    target: { socketPath: serving.runner.socketPath },
    begin() {
      serving.inflight += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        serving.inflight -= 1;
      };
    },
    gone: serving.runner.exited,
    serving,
  } as Upstream & { serving: Serving };
}

export function localBackend(supervisor: (appId: string) => AppSupervisor | undefined): AppBackend {
  return {
    async resolve(appId, waitMs): Promise<Resolution> {
      const app = supervisor(appId);
      if (!app) return { kind: 'absent' };
      const began = performance.now();
      const target = await app.target(waitMs);
      if (target) return { kind: 'ready', upstream: upstreamOf(target.serving), waitedMs: target.waited ? performance.now() - began : 0 };
      const status = app.status('');
      if (status.phase === 'absent' && !app.isSleeping) return { kind: 'absent' };
      if (status.phase === 'deploying' || status.message?.includes('restarting')) return { kind: 'starting', message: status.message ?? 'The app is starting.' };
      return { kind: 'unavailable', message: status.message ?? 'The app is not running.' };
    },
    async replacement(appId, failed, waitMs) {
      const app = supervisor(appId);
      if (!app) return null;
      if (failed.gone) await Promise.race([failed.gone, new Promise((resolve) => setTimeout(resolve, 1000))]);
      const next = await app.target(waitMs);
      const previous = (failed as Upstream & { serving?: Serving }).serving;
      return next && next.serving !== previous ? upstreamOf(next.serving) : null;
    },
  };
}
