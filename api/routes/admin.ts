/** Admin routes: settings, users (create, promote/demote, delete with cascade), templates, stats. */
import { z } from 'zod';
import { defaultAllowedImports } from '../../validation/index.js';
import { route, type RouteSpec } from '../http/route.js';
import { userSchema } from '../schemas/accounts.js';
import { createUserBody, listUsersQuery, setAdminBody, settingsBody, settingsSchema, statsSchema, userIdParams, userListResponse } from '../schemas/admin.js';
import { adminTemplate, adminUpdateTemplateBody, createTemplateBody, templateDetail, templateIdParams } from '../schemas/templates.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';
import type { Settings } from '../services/settings.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

function settingsView(settings: Settings) {
  return {
    allowSignups: settings.allowSignups, allowedImports: settings.allowedImports ? [...settings.allowedImports] : null,
    defaultAllowedImports: [...defaultAllowedImports], limits: settings.limits, maxAppsPerUser: settings.maxAppsPerUser, maxDatabasesPerUser: settings.maxDatabasesPerUser,
    updatedAt: settings.updatedAt?.toISOString() ?? null, updatedBy: settings.updatedBy,
  };
}

export function adminRoutes(s: Services): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/admin/settings', tag: 'admin', auth: 'admin', summary: 'Platform settings',
      response: settingsSchema,
      handler: async () => settingsView(await s.settings.get()),
    }),
    route({
      method: 'put', path: '/api/admin/settings', tag: 'admin', auth: 'admin', summary: 'Change sign-ups, allowed imports, limits',
      body: settingsBody, response: settingsSchema,
      handler: async ({ principal, body }) => settingsView(await s.settings.update(body, me(principal).userId)),
    }),
    route({
      method: 'get', path: '/api/admin/users', tag: 'admin', auth: 'admin', summary: 'Users with their app counts',
      query: listUsersQuery, response: userListResponse,
      handler: async ({ query }) => s.users.list(query),
    }),
    route({
      method: 'post', path: '/api/admin/users', tag: 'admin', auth: 'admin', summary: 'Create a user (works with sign-ups off)',
      body: createUserBody, response: z.object({ user: userSchema }), status: 201,
      handler: async ({ body: { isAdmin, ...account } }) => ({ user: await s.accounts.createUser(account, isAdmin) }),
    }),
    route({
      method: 'patch', path: '/api/admin/users/:userId', tag: 'admin', auth: 'admin', summary: 'Promote or demote (never the last admin)',
      params: userIdParams, body: setAdminBody, response: z.object({ user: userSchema }),
      handler: async ({ params, body }) => ({ user: await s.users.setAdmin(params.userId, body.isAdmin) }),
    }),
    route({
      method: 'delete', path: '/api/admin/users/:userId', tag: 'admin', auth: 'admin', summary: 'Delete a user and everything they own',
      params: userIdParams,
      handler: async ({ principal, params }) => s.users.remove(me(principal), params.userId),
    }),
    route({
      method: 'get', path: '/api/admin/templates', tag: 'admin', auth: 'admin', summary: 'Every template',
      response: z.object({ templates: z.array(adminTemplate) }),
      handler: async () => ({ templates: await s.templates.adminList() }),
    }),
    route({
      method: 'post', path: '/api/admin/templates', tag: 'admin', auth: 'admin', summary: 'Create a global template',
      body: createTemplateBody, response: templateDetail, status: 201,
      handler: async ({ principal, body }) => s.templates.adminCreate(me(principal), body),
    }),
    route({
      method: 'patch', path: '/api/admin/templates/:templateId', tag: 'admin', auth: 'admin', summary: 'Edit any template, or hide a global one for everyone',
      params: templateIdParams, body: adminUpdateTemplateBody, response: adminTemplate,
      handler: async ({ params, body }) => s.templates.adminUpdate(params.templateId, body),
    }),
    route({
      method: 'delete', path: '/api/admin/templates/:templateId', tag: 'admin', auth: 'admin', summary: 'Delete any template (a built-in stays deleted)',
      params: templateIdParams,
      handler: async ({ params }) => s.templates.adminRemove(params.templateId),
    }),
    route({
      method: 'get', path: '/api/admin/stats', tag: 'admin', auth: 'admin', summary: 'Platform statistics (cached 30 s)',
      response: statsSchema,
      handler: async () => s.stats.get(),
    }),
  ];
}
