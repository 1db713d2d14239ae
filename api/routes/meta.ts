/** Health, the OpenAPI document and its docs page. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { UnavailableError } from '../errors.js';
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
    route('health', async () => {
      // Draining after SIGTERM: it still answers requests, but is no longer ready for new ones.
      if (s.boot.isStopping()) throw new UnavailableError('This API replica is stopping; the others take new requests.');
      await s.db.db.command({ ping: 1 });
      return { ...s.boot.view(), runtime: s.runtime.kind, validator: s.validation.engine.name, python: s.validation.engine.pythonVersion };
    }),
    route('openapi', async ({ ctx }) => {
      ctx.body = openapi();
    }),
    route('docs', async ({ ctx }) => {
      ctx.type = 'text/html';
      ctx.body = docsPage;
    }),
  ];
}
