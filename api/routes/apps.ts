/** App routes: CRUD and clone, the draft, deploy, versions and rollback, env vars, and project validation. */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { route, type RouteSpec } from '../http/route.js';
import {
  appDetail, appListResponse, cloneBody, createAppBody, deployBody, deployResponse, draftSchema, envBody, envResponse, idempotencyHeaders,
  listAppsQuery, maskedEnvVar, rollbackBody, saveDraftBody, savedDraft, updateAppBody, validateBody, validateResponse, versionDetail,
  versionParams, versionSummary,
} from '../schemas/apps.js';
import { appIdParams } from '../schemas/common.js';
import type { Principal } from '../services/accounts.js';
import { toRecord } from '../services/files.js';
import type { Services } from '../services/index.js';
import type { VersionDoc } from '../db/documents.js';
import type { DeployResult } from '../services/deploys.js';

function me(principal: Principal | null): Principal {
  if (!principal) throw new Error('route without a principal');
  return principal;
}

function versionView(v: VersionDoc, deployedVersion: number | null) {
  return {
    number: v.number, contentHash: v.contentHash, createdAt: v.createdAt.toISOString(), source: v.source, rolledBackFrom: v.rolledBackFrom,
    entrypoint: v.entrypoint, paths: v.files.map((f) => f.path), deployed: v.number === deployedVersion,
  };
}

function deployView(result: DeployResult) {
  const { phase, version, message, file, line, updatedAt } = result.status;
  return { changed: result.changed, version: result.version, status: { phase, version, message, file, line, updatedAt: updatedAt.toISOString() } };
}

export function appRoutes(s: Services): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/apps', tag: 'apps', auth: 'user', summary: 'Your apps (search, status filter, cursor pagination)',
      query: listAppsQuery, response: appListResponse,
      handler: async ({ principal, query }) => s.apps.list(me(principal), query),
    }),
    route({
      method: 'post', path: '/api/apps', tag: 'apps', auth: 'user', summary: 'Create an app from a template, files or a blank project',
      body: createAppBody, headers: idempotencyHeaders, response: appDetail, status: 201,
      handler: async ({ principal, body, ctx }) => {
        const key = ctx.get('idempotency-key') || undefined;
        if (key !== undefined && !/^[\x21-\x7e]{8,128}$/.test(key)) throw new InputError('Idempotency-Key must be 8-128 printable characters.');
        const { app, replayed } = await s.apps.create(me(principal), body, key);
        if (replayed) {
          ctx.set('Idempotent-Replayed', 'true');
          return app;
        }
        if (body.deploy) await s.deploys.deploy(app.id);
        return body.deploy ? s.apps.get(me(principal), app.id) : app;
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId', tag: 'apps', auth: 'user', summary: 'One app with its current draft',
      params: appIdParams, response: appDetail,
      handler: async ({ principal, params }) => s.apps.get(me(principal), params.appId),
    }),
    route({
      method: 'patch', path: '/api/apps/:appId', tag: 'apps', auth: 'user', summary: 'Rename or describe an app',
      params: appIdParams, body: updateAppBody, response: appDetail,
      handler: async ({ principal, params, body }) => s.apps.update(me(principal), params.appId, body),
    }),
    route({
      method: 'delete', path: '/api/apps/:appId', tag: 'apps', auth: 'user', summary: 'Delete an app and everything it runs',
      params: appIdParams,
      handler: async ({ principal, params }) => s.apps.remove(me(principal), params.appId),
    }),
    route({
      method: 'post', path: '/api/apps/:appId/clone', tag: 'apps', auth: 'user', summary: 'Copy an app (draft and env vars) into a new one',
      params: appIdParams, body: cloneBody, response: appDetail, status: 201,
      handler: async ({ principal, params, body }) => s.apps.clone(me(principal), params.appId, body.name),
    }),
    route({
      method: 'get', path: '/api/apps/:appId/draft', tag: 'drafts', auth: 'user', summary: 'The current draft',
      params: appIdParams, response: draftSchema,
      handler: async ({ principal, params }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const draft = await s.drafts.latest(app);
        return { revision: draft.revision, entrypoint: draft.entrypoint, files: toRecord(draft.files), updatedAt: draft.createdAt.toISOString() };
      },
    }),
    route({
      method: 'put', path: '/api/apps/:appId/draft', tag: 'drafts', auth: 'user', summary: 'Save the draft on top of a revision (stale → 409); never changes what runs',
      params: appIdParams, body: saveDraftBody, response: savedDraft,
      handler: async ({ principal, params, body }) => {
        const draft = await s.apps.saveDraft(me(principal), params.appId, body);
        const result = await s.validation.validate({ files: body.files, entrypoint: body.entrypoint });
        return { revision: draft.revision, updatedAt: draft.createdAt.toISOString(), findings: result.findings, valid: result.valid };
      },
    }),
    route({
      method: 'post', path: '/api/apps/:appId/deploy', tag: 'deploys', auth: 'user', summary: 'Validate the draft, publish it as a version and deploy it',
      params: appIdParams, body: deployBody, response: deployResponse, status: 202,
      handler: async ({ principal, params, body }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const result = await s.deploys.deploy(app._id, body.draftRevision);
        return deployView(result);
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId/versions', tag: 'deploys', auth: 'user', summary: 'The last ten versions',
      params: appIdParams, response: z.object({ versions: z.array(versionSummary) }),
      handler: async ({ principal, params }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        return { versions: (await s.versions.list(app)).map((v) => versionView(v, app.deploy.version)) };
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId/versions/:version', tag: 'deploys', auth: 'user', summary: 'One version with its files (for diffs)',
      params: versionParams, response: versionDetail,
      handler: async ({ principal, params }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const v = await s.versions.get(app._id, params.version);
        return { ...versionView(v, app.deploy.version), files: toRecord(v.files) };
      },
    }),
    route({
      method: 'post', path: '/api/apps/:appId/rollback', tag: 'deploys', auth: 'user', summary: 'Deploy an earlier version\'s content as a new version',
      params: appIdParams, body: rollbackBody, response: deployResponse, status: 202,
      handler: async ({ principal, params, body }) => {
        const app = await s.apps.owned(me(principal), params.appId);
        const result = await s.deploys.rollback(app._id, body.version);
        return deployView(result);
      },
    }),
    route({
      method: 'get', path: '/api/apps/:appId/env', tag: 'env', auth: 'user', summary: 'Env var names (values masked)',
      params: appIdParams, response: z.object({ env: z.array(maskedEnvVar) }),
      handler: async ({ principal, params }) => ({ env: s.env.masked(await s.apps.owned(me(principal), params.appId)) }),
    }),
    route({
      method: 'put', path: '/api/apps/:appId/env', tag: 'env', auth: 'user', summary: 'Replace env vars; a deployed app is redeployed with the same code version',
      params: appIdParams, body: envBody, response: envResponse,
      handler: async ({ principal, params, body }) => s.apps.replaceEnv(me(principal), params.appId, body.vars),
    }),
    route({
      method: 'post', path: '/api/validate', tag: 'validation', auth: 'user', summary: 'Validate a project with the platform\'s rules',
      body: validateBody, response: validateResponse,
      handler: async ({ body }) => {
        const result = await s.validation.validate({ files: body.files, entrypoint: body.entrypoint });
        return { valid: result.valid, findings: result.findings, framework: result.framework, engine: s.validation.engine.name, python: s.validation.engine.pythonVersion };
      },
    }),
  ];
}
