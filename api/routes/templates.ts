/** Template routes: the gallery, one template, your own templates, hide and unhide. */
import { route, type RouteSpec } from '../http/route.js';
import type { Principal } from '../services/accounts.js';
import type { Services } from '../services/index.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

export function templateRoutes(s: Services): RouteSpec[] {
  return [
    route('listTemplates', async ({ principal, query }) => ({ templates: await s.templates.list(me(principal), query) })),
    route('getTemplate', async ({ principal, params }) => s.templates.get(me(principal), params.templateId)),
    route('createTemplate', async ({ principal, body }) => s.templates.create(me(principal), body)),
    route('updateTemplate', async ({ principal, params, body }) => s.templates.update(me(principal), params.templateId, body)),
    route('deleteTemplate', async ({ principal, params }) => s.templates.remove(me(principal), params.templateId)),
    route('hideTemplate', async ({ principal, params }) => s.templates.setHidden(me(principal), params.templateId, true)),
    route('unhideTemplate', async ({ principal, params }) => s.templates.setHidden(me(principal), params.templateId, false)),
  ];
}
