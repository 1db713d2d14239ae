/**
 * App routes that reach the runtime: status, deploy progress (server-sent events), events, logs (HTTP
 * and a WebSocket ticket), the synthesized manifests, the test panel, and the proxy's request history.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { ManifestObject } from '../../constructs/index.js';
import { NotFoundError } from '../errors.js';
import { route, type RouteSpec } from '../http/route.js';
import { appIdParams } from '../schemas/common.js';
import {
  eventsQuery, logLine, logsQuery, logTicket, manifestsQuery, manifestsResponse, requestLog, requestsQuery, runtimeEvent, runtimeStatus,
  testRequestBody, testResponse,
} from '../schemas/runtime.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';
import type { LogTicketService } from '../services/log-tickets.js';
import { sanitizeTestHeaders } from '../services/test-requests.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

/** Secret values never leave the API, not even base64-encoded in a manifest view. */
export function maskSecrets(objects: ManifestObject[]): ManifestObject[] {
  return objects.map((o) => (o.kind === 'Secret' && typeof o.data === 'object' && o.data
    ? { ...o, data: Object.fromEntries(Object.keys(o.data).map((k) => [k, '••••••••'])) }
    : o));
}

export function appRuntimeRoutes(s: Services, tickets: LogTicketService): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/apps/:appId/status', tag: 'runtime', auth: 'user', summary: 'What the runtime reports now',
      params: appIdParams, response: runtimeStatus,
      handler: async ({ principal, params }) => s.runtime.status((await s.apps.owned(me(principal), params.appId))._id),
    }),
    route({
      method: 'get', path: '/api/apps/:appId/progress', tag: 'runtime', auth: 'user', summary: 'The current rollout\'s progress, as server-sent events',
      params: appIdParams, produces: 'text/event-stream',
      handler: async ({ principal, params, ctx }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const stream = new PassThrough();
        const abort = new AbortController();
        ctx.req.on('close', () => abort.abort());
        ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
        ctx.status = 200;
        ctx.body = stream;
        void (async () => {
          try {
            for await (const event of s.runtime.progress(app._id, abort.signal)) stream.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
            stream.write('event: end\ndata: {}\n\n');
          } catch (error) {
            if (!abort.signal.aborted) stream.write(`event: error\ndata: ${JSON.stringify({ message: String(error) })}\n\n`);
          } finally {
            stream.end();
          }
        })();
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId/events', tag: 'runtime', auth: 'user', summary: 'Recent runtime events, newest first',
      params: appIdParams, query: eventsQuery, response: z.object({ events: z.array(runtimeEvent) }),
      handler: async ({ principal, params, query }) => ({ events: await s.runtime.events((await s.apps.owned(me(principal), params.appId))._id, query.limit) }),
    }),
    route({
      method: 'get', path: '/api/apps/:appId/logs', tag: 'runtime', auth: 'user', summary: 'Recent log lines; resume with `after`',
      params: appIdParams, query: logsQuery, response: z.object({ lines: z.array(logLine) }),
      handler: async ({ principal, params, query }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const lines = [];
        for await (const line of s.runtime.logs(app._id, {
          follow: false, tail: query.tail, ...(query.after ? { after: query.after } : {}), ...(query.since ? { since: new Date(query.since) } : {}),
        })) lines.push(line);
        return { lines };
      },
    }),
    route({
      method: 'post', path: '/api/apps/:appId/logs/ticket', tag: 'runtime', auth: 'user', summary: 'A 30-second, single-use ticket for the log WebSocket',
      params: appIdParams, response: logTicket, status: 201,
      handler: async ({ principal, params }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const { ticket, expiresIn } = tickets.issue(app.ownerId, app._id);
        return { ticket, expiresIn, url: `/api/apps/${app._id}/logs/stream?ticket=${ticket}` };
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId/manifests', tag: 'runtime', auth: 'user', summary: 'The Kubernetes objects of the deployed version (or the draft), Secret values masked',
      params: appIdParams, query: manifestsQuery, response: manifestsResponse,
      handler: async ({ principal, params, query }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const runtimeApp = { id: app._id, ownerId: app.ownerId, name: app.name };
        const env = s.env.decrypt(app);
        if (query.of === 'draft') {
          const draft = await s.drafts.latest(app);
          return { version: null, objects: maskSecrets(s.runtime.manifests(runtimeApp, { number: 0, files: draft.files, entrypoint: draft.entrypoint, contentHash: draft.contentHash }, env)) };
        }
        if (app.deploy.version === null) throw new NotFoundError('The app has not been deployed yet; ask for of=draft.');
        const version = await s.versions.get(app._id, app.deploy.version);
        return { version: version.number, objects: maskSecrets(s.runtime.manifests(runtimeApp, version, env)) };
      },
    }),
    route({
      method: 'post', path: '/api/apps/:appId/request', tag: 'runtime', auth: 'user', summary: 'The test panel: send one request to this app',
      params: appIdParams, body: testRequestBody, response: testResponse,
      handler: async ({ principal, params, body }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        return s.runtime.request(app._id, { method: body.method, path: body.path, headers: sanitizeTestHeaders(body.headers), ...(body.body === undefined ? {} : { body: body.body }) });
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId/requests', tag: 'runtime', auth: 'user', summary: 'Recent requests recorded by the platform\'s proxy, with tracebacks',
      params: appIdParams, query: requestsQuery, response: z.object({ requests: z.array(requestLog) }),
      handler: async ({ principal, params, query }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const log = await s.db.requestLogs.findOne({ _id: app._id });
        const entries = (log?.ownerId === app.ownerId ? log.entries : [])
          .filter((r) => query.failed !== 'true' || r.status >= 500 || r.error !== null)
          .slice(0, query.limit);
        return { requests: entries.map((r) => ({ ...r, at: r.at.toISOString() })) };
      },
    }),
  ];
}
