/** Template routes: the gallery, one template, your own templates, hide and unhide. */
import { z } from 'zod';
import { route, type RouteSpec } from '../http/route.js';
import {
  createTemplateBody, listTemplatesQuery, templateDetail, templateIdParams, templateSummary, updateTemplateBody,
} from '../schemas/templates.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

export function templateRoutes(s: Services): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/templates', tag: 'templates', auth: 'user', summary: 'Global and your own templates',
      query: listTemplatesQuery, response: z.object({ templates: z.array(templateSummary) }),
      handler: async ({ principal, query }) => ({ templates: await s.templates.list(me(principal), query) }),
    }),
    route({
      method: 'get', path: '/api/templates/:templateId', tag: 'templates', auth: 'user', summary: 'One template with its files and examples',
      params: templateIdParams, response: templateDetail,
      handler: async ({ principal, params }) => s.templates.get(me(principal), params.templateId),
    }),
    route({
      method: 'post', path: '/api/templates', tag: 'templates', auth: 'user', summary: 'Create your own template, from files or from one of your apps',
      body: createTemplateBody, response: templateDetail, status: 201,
      handler: async ({ principal, body }) => s.templates.create(me(principal), body),
    }),
    route({
      method: 'patch', path: '/api/templates/:templateId', tag: 'templates', auth: 'user', summary: 'Edit one of your templates',
      params: templateIdParams, body: updateTemplateBody, response: templateDetail,
      handler: async ({ principal, params, body }) => s.templates.update(me(principal), params.templateId, body),
    }),
    route({
      method: 'delete', path: '/api/templates/:templateId', tag: 'templates', auth: 'user', summary: 'Delete one of your templates',
      params: templateIdParams,
      handler: async ({ principal, params }) => s.templates.remove(me(principal), params.templateId),
    }),
    route({
      method: 'post', path: '/api/templates/:templateId/hide', tag: 'templates', auth: 'user', summary: 'Hide a template from your gallery',
      params: templateIdParams, response: templateSummary,
      handler: async ({ principal, params }) => s.templates.setHidden(me(principal), params.templateId, true),
    }),
    route({
      method: 'post', path: '/api/templates/:templateId/unhide', tag: 'templates', auth: 'user', summary: 'Show a template you hid again',
      params: templateIdParams, response: templateSummary,
      handler: async ({ principal, params }) => s.templates.setHidden(me(principal), params.templateId, false),
    }),
  ];
}
