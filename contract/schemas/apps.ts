/** Schemas of the app routes: apps, drafts, deploys, versions, env vars, validation. */
import { z } from 'zod';
import { databaseBinding } from './databases.js';
import { entrypointSchema, filesSchema, findingSchema, isoDate } from './common.js';

const phase = z.enum(['draft', 'deploying', 'running', 'failed']);
const framework = z.enum(['fastapi', 'fasthtml', 'starlette', 'hono']).nullable();
const language = z.enum(['python', 'typescript']).meta({ description: 'Python (FastAPI, FastHTML) or TypeScript (Hono); fixed at creation' });

export const envVarInput = z.object({
  name: z.string().min(1).max(128),
  value: z.string().max(8 * 1024).optional().meta({ description: 'Omit to keep the stored value' }),
}).strict();

export const maskedEnvVar = z.object({ name: z.string(), value: z.string(), updatedAt: isoDate }).meta({ id: 'EnvVar' });

export const appStatus = z.object({
  phase, version: z.number().int().nullable(),
  servingVersion: z.number().int().nullable().meta({ description: 'The version that last went live and still serves (after a failed rollout, the one before it)' }),
  message: z.string().nullable(), file: z.string().nullable(), line: z.number().int().nullable(), updatedAt: isoDate,
});

export const appSummary = z.object({
  id: z.string(), name: z.string(), description: z.string(), language, framework, url: z.string(), status: appStatus,
  draftRevision: z.number().int(), latestVersion: z.number().int(), hasUnpublishedChanges: z.boolean(),
  createdAt: isoDate, updatedAt: isoDate, lastActivityAt: isoDate,
  sleeping: z.boolean().meta({ description: 'Idle: nothing runs until the next request wakes it' }),
}).meta({ id: 'AppSummary' });

export const appDetail = appSummary.extend({
  draft: z.object({ revision: z.number().int(), entrypoint: z.string(), files: z.record(z.string(), z.string()), updatedAt: isoDate }),
  env: z.array(maskedEnvVar),
  database: databaseBinding,
}).meta({ id: 'App' });

export const appName = z.string().trim().min(1).max(80);

export const createAppBody = z.object({
  name: appName,
  description: z.string().max(500).optional(),
  templateId: z.string().max(64).optional(),
  files: filesSchema.optional(),
  entrypoint: z.string().min(1).max(200).optional().meta({ description: 'Default: the first of app.py, app.ts, main.ts among the files' }),
  language: language.optional().meta({ description: "Default: the template's, else the entrypoint's" }),
  env: z.array(envVarInput).max(50).optional(),
  /** Which of your databases it gets as PLATFORM_MONGO_URI. @default auto */
  database: databaseBinding.optional(),
  /** Deploy right after creating. */
  deploy: z.boolean().default(false),
}).strict().refine((b) => !(b.templateId && b.files), { message: 'give either templateId or files, not both', path: ['templateId'] });

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(8).max(128).optional().meta({ description: 'Repeat the same key and the same app comes back, never a second one' }),
});

export const listAppsQuery = z.object({
  search: z.string().max(80).optional(),
  status: phase.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
}).strict();

export const appListResponse = z.object({ apps: z.array(appSummary), nextCursor: z.string().nullable() }).meta({ id: 'AppList' });

export const updateAppBody = z.object({ name: appName.optional(), description: z.string().max(500).optional() }).strict()
  .refine((b) => b.name !== undefined || b.description !== undefined, 'give name or description');

export const cloneBody = z.object({ name: appName.optional() }).strict();

export const draftSchema = z.object({
  revision: z.number().int(), entrypoint: z.string(), files: z.record(z.string(), z.string()), updatedAt: isoDate,
}).meta({ id: 'Draft' });

export const saveDraftBody = z.object({
  revision: z.number().int().min(1).meta({ description: 'The revision this edit is based on; a stale one gets 409' }),
  files: filesSchema,
  entrypoint: entrypointSchema,
}).strict();

export const savedDraft = z.object({ revision: z.number().int(), updatedAt: isoDate, findings: z.array(findingSchema), valid: z.boolean() }).meta({ id: 'SavedDraft' });

export const deployBody = z.object({ draftRevision: z.number().int().min(1).optional() }).strict();

export const deployResponse = z.object({ changed: z.boolean(), version: z.number().int(), status: appStatus }).meta({ id: 'DeployResult' });

export const versionParams = z.object({ appId: z.string().max(64), version: z.coerce.number().int().min(1) });

export const versionSummary = z.object({
  number: z.number().int(), contentHash: z.string(), createdAt: isoDate, source: z.enum(['deploy', 'rollback']),
  rolledBackFrom: z.number().int().nullable(), entrypoint: z.string(), paths: z.array(z.string()), deployed: z.boolean(),
}).meta({ id: 'VersionSummary' });

export const versionDetail = versionSummary.extend({ files: z.record(z.string(), z.string()) }).meta({ id: 'Version' });

export const rollbackBody = z.object({ version: z.number().int().min(1) }).strict();

export const envBody = z.object({ vars: z.array(envVarInput).max(50) }).strict();
export const envResponse = z.object({ env: z.array(maskedEnvVar), redeployed: z.boolean() });

export const validateBody = z.object({ files: filesSchema, entrypoint: entrypointSchema }).strict();
export const validateResponse = z.object({
  valid: z.boolean(), findings: z.array(findingSchema), framework, engine: z.string(), python: z.string(),
}).meta({ id: 'ValidationResult' });
