/**
 * The route table's identities: each route's name, method, path and who may call it. This module has
 * no zod in it, so the UI can import it at run time; the schemas of each route live in
 * schemas/table.ts, keyed by the same names (the compiler checks both tables name the same routes).
 * The API binds a handler to each name (api/http/route.ts); the typed client (client.ts) calls them.
 */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Auth = 'public' | 'user' | 'admin';

export interface RouteInfo {
  readonly method: Method;
  /** Koa style: /api/apps/:appId */
  readonly path: string;
  readonly auth: Auth;
}

export const routes = {
  health: { method: 'get', path: '/api/health', auth: 'public' },
  openapi: { method: 'get', path: '/api/openapi.json', auth: 'public' },
  docs: { method: 'get', path: '/api/docs', auth: 'public' },

  authConfig: { method: 'get', path: '/api/auth/config', auth: 'public' },
  signup: { method: 'post', path: '/api/auth/signup', auth: 'public' },
  login: { method: 'post', path: '/api/auth/login', auth: 'public' },
  refresh: { method: 'post', path: '/api/auth/refresh', auth: 'public' },
  logout: { method: 'post', path: '/api/auth/logout', auth: 'user' },
  me: { method: 'get', path: '/api/auth/me', auth: 'user' },
  listSessions: { method: 'get', path: '/api/auth/sessions', auth: 'user' },
  endSession: { method: 'delete', path: '/api/auth/sessions/:id', auth: 'user' },
  listTokens: { method: 'get', path: '/api/auth/tokens', auth: 'user' },
  createToken: { method: 'post', path: '/api/auth/tokens', auth: 'user' },
  revokeToken: { method: 'delete', path: '/api/auth/tokens/:id', auth: 'user' },

  startDeviceLogin: { method: 'post', path: '/api/auth/device', auth: 'public' },
  pollDeviceLogin: { method: 'post', path: '/api/auth/device/token', auth: 'public' },
  getDeviceLogin: { method: 'get', path: '/api/auth/device/:userCode', auth: 'user' },
  approveDeviceLogin: { method: 'post', path: '/api/auth/device/:userCode/approve', auth: 'user' },
  denyDeviceLogin: { method: 'post', path: '/api/auth/device/:userCode/deny', auth: 'user' },

  listApps: { method: 'get', path: '/api/apps', auth: 'user' },
  createApp: { method: 'post', path: '/api/apps', auth: 'user' },
  getApp: { method: 'get', path: '/api/apps/:appId', auth: 'user' },
  updateApp: { method: 'patch', path: '/api/apps/:appId', auth: 'user' },
  deleteApp: { method: 'delete', path: '/api/apps/:appId', auth: 'user' },
  cloneApp: { method: 'post', path: '/api/apps/:appId/clone', auth: 'user' },
  getDraft: { method: 'get', path: '/api/apps/:appId/draft', auth: 'user' },
  saveDraft: { method: 'put', path: '/api/apps/:appId/draft', auth: 'user' },
  deploy: { method: 'post', path: '/api/apps/:appId/deploy', auth: 'user' },
  listVersions: { method: 'get', path: '/api/apps/:appId/versions', auth: 'user' },
  getVersion: { method: 'get', path: '/api/apps/:appId/versions/:version', auth: 'user' },
  rollback: { method: 'post', path: '/api/apps/:appId/rollback', auth: 'user' },
  getEnv: { method: 'get', path: '/api/apps/:appId/env', auth: 'user' },
  replaceEnv: { method: 'put', path: '/api/apps/:appId/env', auth: 'user' },
  validate: { method: 'post', path: '/api/validate', auth: 'user' },

  runtimeStatus: { method: 'get', path: '/api/apps/:appId/status', auth: 'user' },
  progress: { method: 'get', path: '/api/apps/:appId/progress', auth: 'user' },
  events: { method: 'get', path: '/api/apps/:appId/events', auth: 'user' },
  logs: { method: 'get', path: '/api/apps/:appId/logs', auth: 'user' },
  logTicket: { method: 'post', path: '/api/apps/:appId/logs/ticket', auth: 'user' },
  manifests: { method: 'get', path: '/api/apps/:appId/manifests', auth: 'user' },
  testRequest: { method: 'post', path: '/api/apps/:appId/request', auth: 'user' },
  requests: { method: 'get', path: '/api/apps/:appId/requests', auth: 'user' },

  listTemplates: { method: 'get', path: '/api/templates', auth: 'user' },
  getTemplate: { method: 'get', path: '/api/templates/:templateId', auth: 'user' },
  createTemplate: { method: 'post', path: '/api/templates', auth: 'user' },
  updateTemplate: { method: 'patch', path: '/api/templates/:templateId', auth: 'user' },
  deleteTemplate: { method: 'delete', path: '/api/templates/:templateId', auth: 'user' },
  hideTemplate: { method: 'post', path: '/api/templates/:templateId/hide', auth: 'user' },
  unhideTemplate: { method: 'post', path: '/api/templates/:templateId/unhide', auth: 'user' },

  adminSettings: { method: 'get', path: '/api/admin/settings', auth: 'admin' },
  adminUpdateSettings: { method: 'put', path: '/api/admin/settings', auth: 'admin' },
  adminListUsers: { method: 'get', path: '/api/admin/users', auth: 'admin' },
  adminCreateUser: { method: 'post', path: '/api/admin/users', auth: 'admin' },
  adminSetAdmin: { method: 'patch', path: '/api/admin/users/:userId', auth: 'admin' },
  adminDeleteUser: { method: 'delete', path: '/api/admin/users/:userId', auth: 'admin' },
  adminListTemplates: { method: 'get', path: '/api/admin/templates', auth: 'admin' },
  adminCreateTemplate: { method: 'post', path: '/api/admin/templates', auth: 'admin' },
  adminUpdateTemplate: { method: 'patch', path: '/api/admin/templates/:templateId', auth: 'admin' },
  adminDeleteTemplate: { method: 'delete', path: '/api/admin/templates/:templateId', auth: 'admin' },
  adminStats: { method: 'get', path: '/api/admin/stats', auth: 'admin' },

  listDatabases: { method: 'get', path: '/api/databases', auth: 'user' },
  createDatabase: { method: 'post', path: '/api/databases', auth: 'user' },
  getDatabase: { method: 'get', path: '/api/databases/:databaseId', auth: 'user' },
  deleteDatabase: { method: 'delete', path: '/api/databases/:databaseId', auth: 'user' },
  databaseCredentials: { method: 'post', path: '/api/databases/:databaseId/credentials', auth: 'user' },
  rotateDatabase: { method: 'post', path: '/api/databases/:databaseId/rotate', auth: 'user' },
  bindDatabase: { method: 'put', path: '/api/apps/:appId/database', auth: 'user' },
  listCollections: { method: 'get', path: '/api/databases/:databaseId/collections', auth: 'user' },
  queryCollection: { method: 'post', path: '/api/databases/:databaseId/collections/:collection/query', auth: 'user' },
  nextPage: { method: 'get', path: '/api/databases/:databaseId/cursors/:cursor', auth: 'user' },
  deleteDocument: { method: 'post', path: '/api/databases/:databaseId/collections/:collection/delete-document', auth: 'user' },
  dropCollection: { method: 'delete', path: '/api/databases/:databaseId/collections/:collection', auth: 'user' },
  exportCollection: { method: 'get', path: '/api/databases/:databaseId/collections/:collection/export', auth: 'user' },

  metrics: { method: 'get', path: '/api/apps/:appId/metrics', auth: 'user' },
  getSleep: { method: 'get', path: '/api/apps/:appId/sleep', auth: 'user' },
  setSleep: { method: 'put', path: '/api/apps/:appId/sleep', auth: 'user' },
  adminSetAlwaysOn: { method: 'put', path: '/api/admin/apps/:appId/always-on', auth: 'admin' },
} as const satisfies Record<string, RouteInfo>;

export type RouteName = keyof typeof routes;

/** A route's path with its parameters filled in (each URI-encoded). */
export function pathOf(name: RouteName, params: Readonly<Record<string, string | number>> = {}): string {
  return routes[name].path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${name}: the path parameter ${key} is missing`);
    return encodeURIComponent(String(value));
  });
}
