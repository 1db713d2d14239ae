/** The OpenAPI 3.1 document, generated from the route table's zod schemas by zod-openapi. */
import { createDocument } from 'zod-openapi';
import type { ZodType } from 'zod';
import { z } from 'zod';
import { errorSchema } from '../../contract/schemas/index.js';
import type { RouteSpec } from './route.js';

const errorResponses: Record<string, string> = {
  '400': 'Invalid input', '401': 'Not signed in', '403': 'Not allowed', '404': 'Not found (also for other users\' objects)',
  '409': 'Conflict', '413': 'Body too large', '429': 'Rate limited', '503': 'A dependency is unavailable',
};

function openapiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

export function buildOpenApi(routes: readonly RouteSpec[], version: string): ReturnType<typeof createDocument> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method}${openapiPath(spec.path).replace(/[{}]/g, '').split(/[/-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('')}`,
      security: spec.auth === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
      requestParams: {
        ...(spec.params ? { path: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.headers ? { header: spec.headers } : {}),
      },
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      responses: {
        [String(spec.status ?? (spec.response ? 200 : 204))]: spec.produces
          ? { description: 'Success', content: { [spec.produces]: { schema: z.string() } } }
          : spec.response
            ? { description: 'Success', content: { 'application/json': { schema: spec.response as ZodType } } }
            : { description: 'Success, no content' },
        ...Object.fromEntries(Object.entries(errorResponses).map(([status, description]) => [status, {
          description, content: { 'application/json': { schema: errorSchema } },
        }])),
      },
    };
    (paths[openapiPath(spec.path)] ??= {})[spec.method] = operation;
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'FastAPI Platform API', version, description: 'Accounts, apps, drafts, versions, templates and admin. Errors always have the shape `{error: {code, message, details}}`.' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An access token (fpa.…) or a personal API token (fpt_…)' },
        cookie: { type: 'apiKey', in: 'cookie', name: '__Host-fp_access', description: 'Browser session; unsafe methods also need X-CSRF-Token and a matching Origin' },
      },
    },
    paths: paths as never,
  });
}
