/**
 * The route table's schemas: for each route named in routes.ts, its summary and tag (the OpenAPI
 * document's), and the zod schemas of its params, query, body, documented headers and response. The
 * API parses requests with them; the typed client infers its types from them (as types only).
 */
import { z, type ZodType } from 'zod';
import type { RouteName } from '../routes.js';
import {
  apiTokenSchema, authConfigResponse, createdTokenSchema, idParams, loginBody, loginResponse, meResponse, refreshBody, refreshResponse,
  sessionSchema, signupBody, tokenCreateBody, userSchema,
} from './accounts.js';
import {
  createUserBody, listUsersQuery, setAdminBody, settingsBody, settingsSchema, statsSchema, userIdParams, userListResponse,
} from './admin.js';
import {
  appDetail, appListResponse, cloneBody, createAppBody, deployBody, deployResponse, draftSchema, envBody, envResponse, idempotencyHeaders,
  listAppsQuery, maskedEnvVar, rollbackBody, saveDraftBody, savedDraft, updateAppBody, validateBody, validateResponse, versionDetail,
  versionParams, versionSummary,
} from './apps.js';
import { appIdParams } from './common.js';
import {
  collectionParams, collectionSchema, confirmQuery, createDatabaseBody, credentialsSchema, cursorParams, databaseBinding, databaseIdParams,
  databaseSchema, documentIdBody, pageSchema, queryBody,
} from './databases.js';
import { deviceLoginSchema, devicePollBody, devicePollResponse, deviceStartBody, deviceStartResponse, userCodeParams } from './device.js';
import {
  alwaysOnBody, eventsQuery, logLine, logsQuery, logTicket, manifestsQuery, manifestsResponse, metricsQuery, metricsResponse, requestLog, requestsQuery,
  runtimeEvent, runtimeStatus, setSleepBody, sleepSchema, testRequestBody, testResponse,
} from './runtime.js';
import {
  adminTemplate, adminUpdateTemplateBody, createTemplateBody, listTemplatesQuery, templateDetail, templateIdParams, templateSummary,
  updateTemplateBody,
} from './templates.js';

export interface RouteSchemas {
  readonly summary: string;
  readonly tag: string;
  readonly params?: ZodType;
  readonly query?: ZodType;
  readonly body?: ZodType;
  /** Request headers the route reads (documentation only). */
  readonly headers?: ZodType;
  readonly response?: ZodType;
  /** The success status. @default 200 (204 when there is no response schema) */
  readonly status?: number;
  /** Content type of a non-JSON success response (the handler writes it itself). */
  readonly produces?: string;
}

/** `starting`: the API serves, while its first reconcile brings deployed apps back (`done` of `total`). */
export const healthResponse = z.object({
  status: z.enum(['ok', 'starting']), runtime: z.string(), validator: z.string(), python: z.string(),
  reconcile: z.object({ total: z.number().int(), done: z.number().int() }),
});

export const routeSchemas = {
  health: { tag: 'meta', summary: 'Liveness of the API and its database', response: healthResponse },
  openapi: { tag: 'meta', summary: 'This document', produces: 'application/json' },
  docs: { tag: 'meta', summary: 'Interactive API docs (Swagger UI, served by the API itself)', produces: 'text/html' },

  authConfig: { tag: 'auth', summary: 'Whether sign-ups are open', response: authConfigResponse },
  signup: { tag: 'auth', summary: 'Create an account (the first one is admin)', body: signupBody, response: z.object({ user: userSchema }), status: 201 },
  login: { tag: 'auth', summary: 'Sign in: cookies for the browser, tokens for the CLI', body: loginBody, response: loginResponse },
  refresh: { tag: 'auth', summary: 'A new access token for a session (CLI)', body: refreshBody, response: refreshResponse },
  logout: { tag: 'auth', summary: 'End this session' },
  me: { tag: 'auth', summary: 'The signed-in user (and the CSRF token for cookie sessions)', response: meResponse },
  listSessions: { tag: 'auth', summary: 'Your signed-in sessions', response: z.object({ sessions: z.array(sessionSchema) }) },
  endSession: { tag: 'auth', summary: 'End one of your sessions', params: idParams },
  listTokens: { tag: 'auth', summary: 'Your personal API tokens', response: z.object({ tokens: z.array(apiTokenSchema) }) },
  createToken: { tag: 'auth', summary: 'Create a personal API token (shown once)', body: tokenCreateBody, response: createdTokenSchema, status: 201 },
  revokeToken: { tag: 'auth', summary: 'Revoke a personal API token', params: idParams },

  startDeviceLogin: {
    tag: 'auth', summary: 'Start a device-code sign-in (the CLI): a code for the person to approve in the browser',
    body: deviceStartBody, response: deviceStartResponse, status: 201,
  },
  pollDeviceLogin: { tag: 'auth', summary: 'Poll a device-code sign-in; once approved, the CLI session (given once)', body: devicePollBody, response: devicePollResponse },
  getDeviceLogin: { tag: 'auth', summary: 'A pending device-code sign-in, for the approval page', params: userCodeParams, response: deviceLoginSchema },
  approveDeviceLogin: { tag: 'auth', summary: 'Approve a device-code sign-in: the CLI gets a session as you', params: userCodeParams, response: deviceLoginSchema },
  denyDeviceLogin: { tag: 'auth', summary: 'Refuse a device-code sign-in', params: userCodeParams, response: deviceLoginSchema },

  listApps: { tag: 'apps', summary: 'Your apps (search, status filter, cursor pagination)', query: listAppsQuery, response: appListResponse },
  createApp: {
    tag: 'apps', summary: 'Create an app from a template, files or a blank project',
    body: createAppBody, headers: idempotencyHeaders, response: appDetail, status: 201,
  },
  getApp: { tag: 'apps', summary: 'One app with its current draft', params: appIdParams, response: appDetail },
  updateApp: { tag: 'apps', summary: 'Rename or describe an app', params: appIdParams, body: updateAppBody, response: appDetail },
  deleteApp: { tag: 'apps', summary: 'Delete an app and everything it runs', params: appIdParams },
  cloneApp: { tag: 'apps', summary: 'Copy an app (draft and env vars) into a new one', params: appIdParams, body: cloneBody, response: appDetail, status: 201 },
  getDraft: { tag: 'drafts', summary: 'The current draft', params: appIdParams, response: draftSchema },
  saveDraft: {
    tag: 'drafts', summary: 'Save the draft on top of a revision (stale → 409); never changes what runs',
    params: appIdParams, body: saveDraftBody, response: savedDraft,
  },
  deploy: { tag: 'deploys', summary: 'Validate the draft, publish it as a version and deploy it', params: appIdParams, body: deployBody, response: deployResponse, status: 202 },
  listVersions: { tag: 'deploys', summary: 'The last ten versions', params: appIdParams, response: z.object({ versions: z.array(versionSummary) }) },
  getVersion: { tag: 'deploys', summary: 'One version with its files (for diffs)', params: versionParams, response: versionDetail },
  rollback: {
    tag: 'deploys', summary: 'Deploy an earlier version\'s content as a new version', params: appIdParams, body: rollbackBody, response: deployResponse, status: 202,
  },
  getEnv: { tag: 'env', summary: 'Env var names (values masked)', params: appIdParams, response: z.object({ env: z.array(maskedEnvVar) }) },
  replaceEnv: { tag: 'env', summary: 'Replace env vars; a deployed app is redeployed with the same code version', params: appIdParams, body: envBody, response: envResponse },
  validate: { tag: 'validation', summary: 'Validate a project with the platform\'s rules', body: validateBody, response: validateResponse },

  runtimeStatus: { tag: 'runtime', summary: 'What the runtime reports now', params: appIdParams, response: runtimeStatus },
  progress: { tag: 'runtime', summary: 'The current rollout\'s progress, as server-sent events', params: appIdParams, produces: 'text/event-stream' },
  events: { tag: 'runtime', summary: 'Recent runtime events, newest first', params: appIdParams, query: eventsQuery, response: z.object({ events: z.array(runtimeEvent) }) },
  logs: { tag: 'runtime', summary: 'Recent log lines; resume with `after`', params: appIdParams, query: logsQuery, response: z.object({ lines: z.array(logLine) }) },
  logTicket: { tag: 'runtime', summary: 'A 30-second, single-use ticket for the log WebSocket', params: appIdParams, response: logTicket, status: 201 },
  manifests: {
    tag: 'runtime', summary: 'The Kubernetes objects of the deployed version (or the draft), Secret values masked',
    params: appIdParams, query: manifestsQuery, response: manifestsResponse,
  },
  testRequest: { tag: 'runtime', summary: 'The test panel: send one request to this app', params: appIdParams, body: testRequestBody, response: testResponse },
  requests: {
    tag: 'runtime', summary: 'Recent requests recorded by the platform\'s proxy, with tracebacks (filter by status, method, path)',
    params: appIdParams, query: requestsQuery, response: z.object({ requests: z.array(requestLog) }),
  },

  listTemplates: { tag: 'templates', summary: 'Global and your own templates', query: listTemplatesQuery, response: z.object({ templates: z.array(templateSummary) }) },
  getTemplate: { tag: 'templates', summary: 'One template with its files and examples', params: templateIdParams, response: templateDetail },
  createTemplate: {
    tag: 'templates', summary: 'Create your own template, from files or from one of your apps', body: createTemplateBody, response: templateDetail, status: 201,
  },
  updateTemplate: { tag: 'templates', summary: 'Edit one of your templates', params: templateIdParams, body: updateTemplateBody, response: templateDetail },
  deleteTemplate: { tag: 'templates', summary: 'Delete one of your templates', params: templateIdParams },
  hideTemplate: { tag: 'templates', summary: 'Hide a template from your gallery', params: templateIdParams, response: templateSummary },
  unhideTemplate: { tag: 'templates', summary: 'Show a template you hid again', params: templateIdParams, response: templateSummary },

  adminSettings: { tag: 'admin', summary: 'Platform settings', response: settingsSchema },
  adminUpdateSettings: { tag: 'admin', summary: 'Change sign-ups, allowed imports, limits', body: settingsBody, response: settingsSchema },
  adminListUsers: { tag: 'admin', summary: 'Users with their app counts', query: listUsersQuery, response: userListResponse },
  adminCreateUser: { tag: 'admin', summary: 'Create a user (works with sign-ups off)', body: createUserBody, response: z.object({ user: userSchema }), status: 201 },
  adminSetAdmin: { tag: 'admin', summary: 'Promote or demote (never the last admin)', params: userIdParams, body: setAdminBody, response: z.object({ user: userSchema }) },
  adminDeleteUser: { tag: 'admin', summary: 'Delete a user and everything they own', params: userIdParams },
  adminListTemplates: { tag: 'admin', summary: 'Every template', response: z.object({ templates: z.array(adminTemplate) }) },
  adminCreateTemplate: { tag: 'admin', summary: 'Create a global template', body: createTemplateBody, response: templateDetail, status: 201 },
  adminUpdateTemplate: {
    tag: 'admin', summary: 'Edit any template, or hide a global one for everyone', params: templateIdParams, body: adminUpdateTemplateBody, response: adminTemplate,
  },
  adminDeleteTemplate: { tag: 'admin', summary: 'Delete any template (a built-in stays deleted)', params: templateIdParams },
  adminStats: { tag: 'admin', summary: 'Platform statistics (cached 30 s)', response: statsSchema },

  listDatabases: { tag: 'databases', summary: 'Your databases with their sizes (the default one is made on first use)', response: z.object({ databases: z.array(databaseSchema) }) },
  createDatabase: { tag: 'databases', summary: 'Create another database (up to the admin\'s limit)', body: createDatabaseBody, response: databaseSchema, status: 201 },
  getDatabase: { tag: 'databases', summary: 'One of your databases', params: databaseIdParams, response: databaseSchema },
  deleteDatabase: { tag: 'databases', summary: 'Delete a database and its data (?confirm=<its name>; refused while apps are bound)', params: databaseIdParams, query: confirmQuery },
  databaseCredentials: { tag: 'databases', summary: 'Show the database\'s URI and credentials (for your own client)', params: databaseIdParams, response: credentialsSchema },
  rotateDatabase: { tag: 'databases', summary: 'New credentials; the apps using the database are redeployed with them', params: databaseIdParams, response: databaseSchema },
  bindDatabase: {
    tag: 'databases', summary: 'Bind an app to one of your databases (or none); a deployed app is redeployed',
    params: appIdParams, body: databaseBinding, response: z.object({ database: databaseBinding, redeployed: z.boolean() }),
  },
  listCollections: { tag: 'databases', summary: 'Collections with their document counts and sizes', params: databaseIdParams, response: z.object({ collections: z.array(collectionSchema) }) },
  queryCollection: {
    tag: 'databases', summary: 'The first page of documents matching a JSON filter, sort and projection (time-limited; code-running operators refused)',
    params: collectionParams, body: queryBody, response: pageSchema,
  },
  nextPage: { tag: 'databases', summary: 'The next page of a query', params: cursorParams, response: pageSchema },
  deleteDocument: { tag: 'databases', summary: 'Delete one document by its _id', params: collectionParams, body: documentIdBody },
  dropCollection: { tag: 'databases', summary: 'Drop a collection (?confirm=<its name>)', params: collectionParams, query: confirmQuery },
  exportCollection: { tag: 'databases', summary: 'Every document as JSON lines (relaxed Extended JSON)', params: collectionParams, produces: 'application/x-ndjson' },

  metrics: {
    tag: 'runtime', summary: 'Requests per minute by status class, error rate and latency percentiles over a window, from the gateway\'s rollups',
    params: appIdParams, query: metricsQuery, response: metricsResponse,
  },
  getSleep: { tag: 'runtime', summary: 'Whether the app sleeps, and after how long without a request it does', params: appIdParams, response: sleepSchema },
  setSleep: { tag: 'runtime', summary: 'The app\'s own idle timeout (null: the platform\'s)', params: appIdParams, body: setSleepBody, response: sleepSchema },
  adminSetAlwaysOn: { tag: 'admin', summary: 'Grant (or take back) an app\'s right never to sleep', params: appIdParams, body: alwaysOnBody, response: sleepSchema },
} as const satisfies Record<RouteName, RouteSchemas>;

export type RouteSchemaTable = typeof routeSchemas;
