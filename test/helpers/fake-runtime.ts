/**
 * A runtime test double for the API's contract tests, which run against it and against the real local
 * runtime (test/helpers/api.ts): it plays back a scripted rollout and scripted log lines, so the API's
 * side can be checked quickly and without running apps.
 */
import { manifestsFor } from '../../api/runtime/none.js';
import type { LogLine, ProgressEvent, Runtime } from '../../api/runtime/types.js';

export interface FakeRuntime extends Runtime {
  /** What the next rollout ends with. */
  outcome: 'ready' | { failure: NonNullable<ProgressEvent['failure']> };
  logLines: Map<string, LogLine[]>;
}

export function fakeRuntime(appDomain = 'apps.test'): FakeRuntime {
  const events = new Map<string, ProgressEvent[]>();
  const waiters = new Map<string, (() => void)[]>();
  const notify = (appId: string) => { for (const w of waiters.get(appId) ?? []) w(); waiters.set(appId, []); };
  const push = (appId: string, event: ProgressEvent) => { events.get(appId)?.push(event); notify(appId); };
  const runtime: FakeRuntime = {
    kind: 'local',
    outcome: 'ready',
    logLines: new Map(),
    async deploy(app, version) {
      events.set(app.id, []);
      const at = () => new Date().toISOString();
      const outcome = runtime.outcome;
      push(app.id, { phase: 'validating', version: version.number, at: at(), message: 'validating' });
      setTimeout(() => {
        push(app.id, { phase: 'starting', version: version.number, at: at(), message: 'starting' });
        setTimeout(() => push(app.id, outcome === 'ready'
          ? { phase: 'ready', version: version.number, at: at(), message: 'ready' }
          : { phase: 'failed', version: version.number, at: at(), message: outcome.failure.message, failure: outcome.failure }), 20);
      }, 20);
    },
    async remove(appId) { events.delete(appId); },
    async ensure(desired) { if (!events.has(desired.app.id)) await runtime.deploy(desired.app, desired.version, desired.env); },
    async sleep() {},
    async wake(_appId, records) {
      const desired = await records();
      if (desired) await runtime.deploy(desired.app, desired.version, desired.env);
    },
    async appIds() { return [...events.keys()]; },
    async status(appId) {
      const last = events.get(appId)?.at(-1);
      const phase = !last ? 'absent' : last.phase === 'ready' ? 'ready' : last.phase === 'failed' ? 'failed' : 'deploying';
      return { phase, servingVersion: last?.phase === 'ready' ? last.version : null, targetVersion: last?.version ?? null, url: runtime.url(appId), message: last?.message ?? null };
    },
    async *progress(appId, signal) {
      let index = 0;
      while (!signal?.aborted) {
        const list = events.get(appId) ?? [];
        while (index < list.length) {
          const event = list[index++] as ProgressEvent;
          yield event;
          if (event.phase === 'ready' || event.phase === 'failed') return;
        }
        await new Promise<void>((resolve) => { waiters.set(appId, [...(waiters.get(appId) ?? []), resolve]); signal?.addEventListener('abort', () => resolve()); });
      }
    },
    async events(appId, limit) {
      return (events.get(appId) ?? []).slice(-limit).reverse().map((e) => ({ at: e.at, type: e.phase === 'failed' ? 'Warning' as const : 'Normal' as const, reason: `${e.phase[0]?.toUpperCase()}${e.phase.slice(1)}`, message: e.message, object: `app/${appId}` }));
    },
    async *logs(appId, query) {
      const lines = runtime.logLines.get(appId) ?? [];
      const start = query.after ? lines.findIndex((l) => l.cursor === query.after) + 1 : Math.max(0, lines.length - (query.tail ?? 100));
      for (const line of lines.slice(start)) yield line;
    },
    manifests: (app, version, env) => manifestsFor(app, version, env, { appDomain }),
    async request(_appId, request) {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ echo: request }), truncated: false, latencyMs: 1 };
    },
    url: (appId) => `http://app-${appId}.${appDomain}`,
    async close() {},
  };
  return runtime;
}
