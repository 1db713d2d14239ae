/** Health, the OpenAPI document and its docs page. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { z } from 'zod';
import { route, type RouteSpec } from '../http/route.js';
import type { Services } from '../services/index.js';

export const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FastAPI Platform API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

export function metaRoutes(s: Services, openapi: () => unknown): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/health', tag: 'meta', auth: 'public', summary: 'Liveness of the API and its database',
      response: z.object({ status: z.literal('ok'), runtime: z.string(), validator: z.string(), python: z.string() }),
      handler: async () => {
        await s.db.db.command({ ping: 1 });
        return { status: 'ok' as const, runtime: s.runtime.kind, validator: s.validation.engine.name, python: s.validation.engine.pythonVersion };
      },
    }),
    route({
      method: 'get', path: '/api/openapi.json', tag: 'meta', auth: 'public', summary: 'This document',
      produces: 'application/json',
      handler: async ({ ctx }) => {
        ctx.body = openapi();
      },
    }),
    route({
      method: 'get', path: '/api/docs', tag: 'meta', auth: 'public', summary: 'Interactive API docs (Swagger UI, served by the API itself)',
      produces: 'text/html',
      handler: async ({ ctx }) => {
        ctx.type = 'text/html';
        ctx.body = docsPage;
      },
    }),
  ];
}
