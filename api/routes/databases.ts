/** Database routes: your databases, their credentials and rotation, an app's binding, and the explorer. */
import { Readable } from 'node:stream';
import { route, type RouteSpec } from '../http/route.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

export function databaseRoutes(s: Services): RouteSpec[] {
  return [
    route('listDatabases', async ({ principal }) => ({ databases: await s.databases.list(me(principal).userId) })),
    route('createDatabase', async ({ principal, body }) => s.databases.create(me(principal).userId, body)),
    route('getDatabase', async ({ principal, params }) => s.databases.get(me(principal).userId, params.databaseId)),
    route('deleteDatabase', async ({ principal, params, query }) => s.databases.remove(me(principal).userId, params.databaseId, query.confirm)),
    route('databaseCredentials', async ({ principal, params, ctx }) => {
      ctx.set('Cache-Control', 'no-store');
      return s.databases.credentials(me(principal).userId, params.databaseId);
    }),
    route('rotateDatabase', async ({ principal, params }) => s.databases.rotate(me(principal).userId, params.databaseId)),
    route('bindDatabase', async ({ principal, params, body }) => s.apps.setDatabase(me(principal), params.appId, body)),
    route('listCollections', async ({ principal, params }) => ({ collections: await s.explorer.collections(me(principal).userId, params.databaseId) })),
    route('queryCollection', async ({ principal, params, body }) => s.explorer.find(me(principal).userId, params.databaseId, params.collection, body)),
    route('nextPage', async ({ principal, params }) => {
      await s.databases.owned(me(principal).userId, params.databaseId);
      return s.explorer.nextPage(me(principal).userId, params.cursor);
    }),
    route('deleteDocument', async ({ principal, params, body }) => s.explorer.deleteDocument(me(principal).userId, params.databaseId, params.collection, body.id)),
    route('dropCollection', async ({ principal, params, query }) => s.explorer.dropCollection(me(principal).userId, params.databaseId, params.collection, query.confirm)),
    route('exportCollection', async ({ principal, params, ctx }) => {
      const lines = s.explorer.exportLines(me(principal).userId, params.databaseId, params.collection);
      // The first line (or the not-found) before any header goes out, so errors keep the JSON shape.
      const first = await lines.next();
      ctx.type = 'application/x-ndjson';
      ctx.set('Content-Disposition', `attachment; filename="${params.collection.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl"`);
      ctx.body = Readable.from((async function* () {
        if (!first.done) yield first.value;
        yield* lines;
      })());
    }),
  ];
}
