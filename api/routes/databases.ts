/** Database routes: your databases, their credentials and rotation, an app's binding, and the explorer. */
import { z } from 'zod';
import { route, type RouteSpec } from '../http/route.js';
import { appIdParams } from '../schemas/common.js';
import {
  collectionParams, collectionSchema, confirmQuery, createDatabaseBody, credentialsSchema, cursorParams, databaseBinding, databaseIdParams,
  databaseSchema, documentIdBody, pageSchema, queryBody,
} from '../schemas/databases.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';

function me(principal: Principal | null): string {
  if (!principal) throw new Error('route without a principal');
  return principal.userId;
}

export function databaseRoutes(s: Services): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/databases', tag: 'databases', auth: 'user', summary: 'Your databases with their sizes (the default one is made on first use)',
      response: z.object({ databases: z.array(databaseSchema) }),
      handler: async ({ principal }) => ({ databases: await s.databases.list(me(principal)) }),
    }),
    route({
      method: 'post', path: '/api/databases', tag: 'databases', auth: 'user', summary: 'Create another database (up to the admin\'s limit)',
      body: createDatabaseBody, response: databaseSchema, status: 201,
      handler: async ({ principal, body }) => s.databases.create(me(principal), body),
    }),
    route({
      method: 'get', path: '/api/databases/:databaseId', tag: 'databases', auth: 'user', summary: 'One of your databases',
      params: databaseIdParams, response: databaseSchema,
      handler: async ({ principal, params }) => s.databases.get(me(principal), params.databaseId),
    }),
    route({
      method: 'delete', path: '/api/databases/:databaseId', tag: 'databases', auth: 'user', summary: 'Delete a database and its data (?confirm=<its name>; refused while apps are bound)',
      params: databaseIdParams, query: confirmQuery,
      handler: async ({ principal, params, query }) => s.databases.remove(me(principal), params.databaseId, query.confirm),
    }),
    route({
      method: 'post', path: '/api/databases/:databaseId/credentials', tag: 'databases', auth: 'user', summary: 'Show the database\'s URI and credentials (for your own client)',
      params: databaseIdParams, response: credentialsSchema,
      handler: async ({ principal, params, ctx }) => {
        ctx.set('Cache-Control', 'no-store');
        return s.databases.credentials(me(principal), params.databaseId);
      },
    }),
    route({
      method: 'post', path: '/api/databases/:databaseId/rotate', tag: 'databases', auth: 'user', summary: 'New credentials; the apps using the database are redeployed with them',
      params: databaseIdParams, response: databaseSchema,
      handler: async ({ principal, params }) => s.databases.rotate(me(principal), params.databaseId),
    }),
    route({
      method: 'put', path: '/api/apps/:appId/database', tag: 'databases', auth: 'user', summary: 'Bind an app to one of your databases (or none); a deployed app is redeployed',
      params: appIdParams, body: databaseBinding, response: z.object({ database: databaseBinding, redeployed: z.boolean() }),
      handler: async ({ principal, params, body }) => {
        if (!principal) throw new Error('route without a principal');
        return s.apps.setDatabase(principal, params.appId, body);
      },
    }),
    route({
      method: 'get', path: '/api/databases/:databaseId/collections', tag: 'databases', auth: 'user', summary: 'Collections with their document counts and sizes',
      params: databaseIdParams, response: z.object({ collections: z.array(collectionSchema) }),
      handler: async ({ principal, params }) => ({ collections: await s.explorer.collections(me(principal), params.databaseId) }),
    }),
    route({
      method: 'post', path: '/api/databases/:databaseId/collections/:collection/query', tag: 'databases', auth: 'user',
      summary: 'The first page of documents matching a JSON filter, sort and projection (time-limited; code-running operators refused)',
      params: collectionParams, body: queryBody, response: pageSchema,
      handler: async ({ principal, params, body }) => s.explorer.find(me(principal), params.databaseId, params.collection, body),
    }),
    route({
      method: 'get', path: '/api/databases/:databaseId/cursors/:cursor', tag: 'databases', auth: 'user', summary: 'The next page of a query',
      params: cursorParams, response: pageSchema,
      handler: async ({ principal, params }) => {
        await s.databases.owned(me(principal), params.databaseId);
        return s.explorer.nextPage(me(principal), params.cursor);
      },
    }),
    route({
      method: 'post', path: '/api/databases/:databaseId/collections/:collection/delete-document', tag: 'databases', auth: 'user', summary: 'Delete one document by its _id',
      params: collectionParams, body: documentIdBody,
      handler: async ({ principal, params, body }) => s.explorer.deleteDocument(me(principal), params.databaseId, params.collection, body.id),
    }),
    route({
      method: 'delete', path: '/api/databases/:databaseId/collections/:collection', tag: 'databases', auth: 'user', summary: 'Drop a collection (?confirm=<its name>)',
      params: collectionParams, query: confirmQuery,
      handler: async ({ principal, params, query }) => s.explorer.dropCollection(me(principal), params.databaseId, params.collection, query.confirm),
    }),
    route({
      method: 'get', path: '/api/databases/:databaseId/collections/:collection/export', tag: 'databases', auth: 'user', summary: 'Every document as JSON lines (relaxed Extended JSON)',
      params: collectionParams, produces: 'application/x-ndjson',
      handler: async ({ principal, params, ctx }) => {
        const lines = s.explorer.exportLines(me(principal), params.databaseId, params.collection);
        // The first line (or the not-found) before any header goes out, so errors keep the JSON shape.
        const first = await lines.next();
        ctx.type = 'application/x-ndjson';
        ctx.set('Content-Disposition', `attachment; filename="${params.collection.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl"`);
        const { Readable } = await import('node:stream');
        ctx.body = Readable.from((async function* () {
          if (!first.done) yield first.value;
          yield* lines;
        })());
      },
    }),
  ];
}
