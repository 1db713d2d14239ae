/** Admin routes: settings, users (create, promote/demote, delete with cascade), templates, stats. */
import { defaultAllowedImports } from '../../validation/index.js';
import { route, type RouteSpec } from '../http/route.js';
import type { Principal } from '../services/accounts.js';
import { isAsleep } from '../services/wakes.js';
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
    idleTimeoutMinutes: settings.idleTimeoutMinutes,
    updatedAt: settings.updatedAt?.toISOString() ?? null, updatedBy: settings.updatedBy,
  };
}

export function adminRoutes(s: Services): RouteSpec[] {
  return [
    route('adminSettings', async () => settingsView(await s.settings.get())),
    route('adminUpdateSettings', async ({ principal, body }) => settingsView(await s.settings.update(body, me(principal).userId))),
    route('adminListUsers', async ({ query }) => s.users.list(query)),
    route('adminCreateUser', async ({ body: { isAdmin, ...account } }) => ({ user: await s.accounts.createUser(account, isAdmin) })),
    route('adminSetAdmin', async ({ params, body }) => ({ user: await s.users.setAdmin(params.userId, body.isAdmin) })),
    route('adminDeleteUser', async ({ principal, params }) => s.users.remove(me(principal), params.userId)),
    route('adminListTemplates', async () => ({ templates: await s.templates.adminList() })),
    route('adminCreateTemplate', async ({ principal, body }) => s.templates.adminCreate(me(principal), body)),
    route('adminUpdateTemplate', async ({ params, body }) => s.templates.adminUpdate(params.templateId, body)),
    route('adminDeleteTemplate', async ({ params }) => s.templates.adminRemove(params.templateId)),
    route('adminStats', async () => s.stats.get()),
    route('adminSetAlwaysOn', async ({ params, body }) => {
      const app = await s.appRuntime.setAlwaysOn(params.appId, body.alwaysOn);
      // An app granted always-on wakes now rather than on its next request.
      if (body.alwaysOn && isAsleep(app)) await s.wakes.wake(app._id);
      return s.appRuntime.sleepOf(await s.db.apps.findOne({ _id: app._id }) ?? app);
    }),
  ];
}
