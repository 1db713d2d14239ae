/**
 * App routes that reach the runtime: status, deploy progress (server-sent events), events, logs (HTTP
 * and a WebSocket ticket), the synthesized manifests, the test panel, and the proxy's request history.
 */
import { PassThrough } from 'node:stream';
import type { ManifestObject } from '../../constructs/index.js';
import { NotFoundError } from '../errors.js';
import { route, type RouteSpec } from '../http/route.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';
import type { LogTicketService } from '../services/log-tickets.js';
import { sanitizeTestHeaders } from '../services/test-requests.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

/** `404` matches exactly, `4xx` the whole class; no filter matches everything. */
function matchesStatus(status: number, filter: string | undefined): boolean {
  if (!filter) return true;
  return /xx$/i.test(filter) ? Math.floor(status / 100) === Number(filter[0]) : status === Number(filter);
}

/** Secret values never leave the API, not even base64-encoded in a manifest view. */
export function maskSecrets(objects: ManifestObject[]): ManifestObject[] {
  return objects.map((o) => (o.kind === 'Secret' && typeof o.data === 'object' && o.data
    ? { ...o, data: Object.fromEntries(Object.keys(o.data).map((k) => [k, '••••••••'])) }
    : o));
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
          for await (const event of s.runtime.progress(app._id, abort.signal)) stream.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
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
      const { ticket, expiresIn } = tickets.issue(app.ownerId, app._id);
      return { ticket, expiresIn, url: `/api/apps/${app._id}/logs/stream?ticket=${ticket}` };
    }),
    route('manifests', async ({ principal, params, query }) => {
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
    }),
    route('testRequest', async ({ principal, params, body }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      return s.runtime.request(app._id, { method: body.method, path: body.path, headers: sanitizeTestHeaders(body.headers), ...(body.body === undefined ? {} : { body: body.body }) });
    }),
    route('requests', async ({ principal, params, query }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const log = await s.db.requestLogs.findOne({ _id: app._id });
      const entries = (log?.ownerId === app.ownerId ? log.entries : [])
        .filter((r) => query.failed !== 'true' || r.status >= 500 || r.error !== null)
        .filter((r) => matchesStatus(r.status, query.status) && (!query.method || r.method === query.method) && (!query.path || r.path.startsWith(query.path)))
        .slice(0, query.limit);
      return { requests: entries.map((r) => ({ ...r, at: r.at.toISOString() })) };
    }),
  ];
}
