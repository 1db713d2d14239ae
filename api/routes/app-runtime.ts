/**
 * App routes that reach the runtime: status, deploy progress (server-sent events), events, logs (HTTP
 * and a WebSocket ticket), the synthesized manifests, the test panel, the gateway's request history and
 * metrics, and sleep settings. The work is AppRuntimeService's.
 */
import { PassThrough } from 'node:stream';
import { route, type RouteSpec } from '../http/route.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';
import type { LogTicketService } from '../services/log-tickets.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

export function appRuntimeRoutes(s: Services, tickets: LogTicketService): RouteSpec[] {
  return [
    route('runtimeStatus', async ({ principal, params }) => s.runtime.status((await s.apps.owned(me(principal), params.appId))._id)),
    route('progress', async ({ principal, params, ctx }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const stream = new PassThrough();
      const abort = new AbortController();
      ctx.req.on('close', () => abort.abort());
      ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
      ctx.status = 200;
      ctx.body = stream;
      void (async () => {
        try {
          const deploying = app.deploy.phase === 'deploying' && app.deploy.version !== null ? app.deploy.version : undefined;
          for await (const event of s.runtime.progress(app._id, abort.signal, deploying)) stream.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
          stream.write('event: end\ndata: {}\n\n');
        } catch (error) {
          if (!abort.signal.aborted) stream.write(`event: error\ndata: ${JSON.stringify({ message: String(error) })}\n\n`);
        } finally {
          stream.end();
        }
      })();
    }),
    route('events', async ({ principal, params, query }) => ({ events: await s.runtime.events((await s.apps.owned(me(principal), params.appId))._id, query.limit) })),
    route('logs', async ({ principal, params, query }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const lines = [];
      for await (const line of s.runtime.logs(app._id, {
        follow: false, tail: query.tail, ...(query.after ? { after: query.after } : {}), ...(query.since ? { since: new Date(query.since) } : {}),
      })) lines.push(line);
      return { lines };
    }),
    route('logTicket', async ({ principal, params }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const { ticket, expiresIn } = await tickets.issue(app.ownerId, app._id);
      return { ticket, expiresIn, url: `/api/apps/${app._id}/logs/stream?ticket=${ticket}` };
    }),
    route('manifests', async ({ principal, params, query }) => s.appRuntime.manifests(await s.apps.owned(me(principal), params.appId), query.of === 'draft' ? 'draft' : 'deployed')),
    route('testRequest', async ({ principal, params, body }) => s.appRuntime.testRequest(await s.apps.owned(me(principal), params.appId), {
      method: body.method, path: body.path, headers: body.headers, ...(body.body === undefined ? {} : { body: body.body }),
    })),
    route('requests', async ({ principal, params, query }) => {
      const records = await s.appRuntime.requests(await s.apps.owned(me(principal), params.appId), query);
      return { requests: records.map((r) => ({ ...r, at: r.at.toISOString() })) };
    }),
    route('metrics', async ({ principal, params, query }) => s.appRuntime.metrics(await s.apps.owned(me(principal), params.appId), query.minutes)),
    route('getSleep', async ({ principal, params }) => s.appRuntime.sleepOf(await s.apps.owned(me(principal), params.appId))),
    route('setSleep', async ({ principal, params, body }) => s.appRuntime.setIdleTimeout(await s.apps.owned(me(principal), params.appId), body.idleTimeoutSeconds)),
  ];
}
