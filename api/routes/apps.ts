/** App routes: CRUD and clone, the draft, deploy, versions and rollback, env vars, and project validation. */
import { InputError } from '../errors.js';
import { route, type RouteSpec } from '../http/route.js';
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
  const { phase, version, servingVersion, message, file, line, updatedAt } = result.status;
  return { changed: result.changed, version: result.version, status: { phase, version, servingVersion: servingVersion ?? null, message, file, line, updatedAt: updatedAt.toISOString() } };
}

export function appRoutes(s: Services): RouteSpec[] {
  return [
    route('listApps', async ({ principal, query }) => s.apps.list(me(principal), query)),
    route('createApp', async ({ principal, body, ctx }) => {
      const key = ctx.get('idempotency-key') || undefined;
      if (key !== undefined && !/^[\x21-\x7e]{8,128}$/.test(key)) throw new InputError('Idempotency-Key must be 8-128 printable characters.');
      const { app, replayed } = await s.apps.create(me(principal), body, key);
      if (replayed) {
        ctx.set('Idempotent-Replayed', 'true');
        return app;
      }
      if (body.deploy) await s.deploys.deploy(app.id);
      return body.deploy ? s.apps.get(me(principal), app.id) : app;
    }),
    route('getApp', async ({ principal, params }) => s.apps.get(me(principal), params.appId)),
    route('updateApp', async ({ principal, params, body }) => s.apps.update(me(principal), params.appId, body)),
    route('deleteApp', async ({ principal, params }) => s.apps.remove(me(principal), params.appId)),
    route('cloneApp', async ({ principal, params, body }) => s.apps.clone(me(principal), params.appId, body.name)),
    route('getDraft', async ({ principal, params }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const draft = await s.drafts.current(app);
      return { revision: draft.revision, entrypoint: draft.entrypoint, files: toRecord(draft.files), updatedAt: draft.createdAt.toISOString() };
    }),
    route('saveDraft', async ({ principal, params, body }) => {
      const draft = await s.apps.saveDraft(me(principal), params.appId, body);
      const result = await s.validation.validate({ files: body.files, entrypoint: body.entrypoint });
      return { revision: draft.revision, updatedAt: draft.createdAt.toISOString(), findings: result.findings, valid: result.valid };
    }),
    route('deploy', async ({ principal, params, body }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const result = await s.deploys.deploy(app._id, body.draftRevision);
      return deployView(result);
    }),
    route('listVersions', async ({ principal, params }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      return { versions: (await s.versions.list(app)).map((v) => versionView(v, app.deploy.version)) };
    }),
    route('getVersion', async ({ principal, params }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const v = await s.versions.get(app._id, params.version);
      return { ...versionView(v, app.deploy.version), files: toRecord(v.files) };
    }),
    route('rollback', async ({ principal, params, body }) => {
      const app = await s.apps.owned(me(principal), params.appId);
      const result = await s.deploys.rollback(app._id, body.version);
      return deployView(result);
    }),
    route('getEnv', async ({ principal, params }) => ({ env: s.env.masked(await s.apps.owned(me(principal), params.appId)) })),
    route('replaceEnv', async ({ principal, params, body }) => s.apps.replaceEnv(me(principal), params.appId, body.vars)),
    route('validate', async ({ body }) => {
      const result = await s.validation.validate({ files: body.files, entrypoint: body.entrypoint });
      return { valid: result.valid, findings: result.findings, framework: result.framework, engine: s.validation.engine.name, python: s.validation.engine.pythonVersion };
    }),
  ];
}
