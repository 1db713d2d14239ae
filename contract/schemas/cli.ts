/**
 * The `--json` output of each of fp's read commands: stable shapes that scripts may rely on
 * (docs/cli.md lists them). Most are the API's own response shapes; `fp logs --json` prints one
 * LogLine per line (NDJSON). A change here is a breaking change for fp's users.
 */
import { z } from 'zod';
import { apiTokenSchema, createdTokenSchema, userSchema } from './accounts.js';
import { appDetail, appSummary, validateResponse, versionSummary } from './apps.js';
import { isoDate } from './common.js';
import { collectionSchema, credentialsSchema, databaseBinding, databaseSchema } from './databases.js';
import { requestLog, runtimeStatus } from './runtime.js';
import { templateSummary } from './templates.js';

export const cliOutput = {
  whoami: z.object({
    user: userSchema,
    platform: z.object({ name: z.string().nullable(), url: z.string() }),
    via: z.enum(['session', 'api-token']),
  }).strict(),
  platforms: z.object({
    active: z.string().nullable(),
    platforms: z.array(z.object({ name: z.string(), url: z.string(), username: z.string().nullable(), active: z.boolean() }).strict()),
  }).strict(),
  list: z.object({ apps: z.array(appSummary) }).strict(),
  status: z.object({
    app: appDetail.omit({ draft: true }).extend({
      draft: z.object({ revision: z.number().int(), entrypoint: z.string(), updatedAt: isoDate, files: z.array(z.string()) }).strict(),
    }).strict(),
    runtime: runtimeStatus,
  }).strict(),
  versions: z.object({ versions: z.array(versionSummary) }).strict(),
  envList: z.object({ env: z.array(z.object({ name: z.string(), updatedAt: isoDate }).strict()) }).strict(),
  tokensList: z.object({ tokens: z.array(apiTokenSchema) }).strict(),
  tokensCreate: createdTokenSchema,
  templates: z.object({ templates: z.array(templateSummary) }).strict(),
  requests: z.object({ requests: z.array(requestLog) }).strict(),
  /** One per line. */
  logLine: z.object({ cursor: z.string(), at: isoDate, stream: z.enum(['stdout', 'stderr']), text: z.string(), version: z.number().int().nullable() }).strict(),
  validate: validateResponse,
  dbInfo: z.object({
    app: z.object({ id: z.string(), name: z.string() }).strict(),
    binding: databaseBinding,
    database: databaseSchema.nullable(),
    collections: z.array(collectionSchema),
  }).strict(),
  dbList: z.object({ databases: z.array(databaseSchema) }).strict(),
  dbCollections: z.object({ database: z.string(), collections: z.array(collectionSchema) }).strict(),
  dbQuery: z.object({ database: z.string(), collection: z.string(), documents: z.array(z.unknown()), more: z.boolean() }).strict(),
  dbUri: credentialsSchema,
} as const;
