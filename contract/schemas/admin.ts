/** Schemas of the admin routes: settings, users, stats. */
import { z } from 'zod';
import { passwordNotUsername, signupFields, userSchema } from './accounts.js';
import { isoDate } from './common.js';

const limits = z.object({
  maxFiles: z.number().int().min(1).max(500),
  maxFileBytes: z.number().int().min(1024).max(1024 * 1024),
  maxTotalBytes: z.number().int().min(1024).max(900 * 1024).meta({ description: 'A project must fit one ConfigMap (1 MiB)' }),
});

export const settingsSchema = z.object({
  allowSignups: z.boolean(),
  allowedImports: z.array(z.string()).nullable().meta({ description: 'null: the validator\'s defaults' }),
  defaultAllowedImports: z.array(z.string()),
  limits,
  maxAppsPerUser: z.number().int(),
  maxDatabasesPerUser: z.number().int(),
  idleTimeoutMinutes: z.number().int().meta({ description: 'Apps with no request for this long sleep (the next request wakes them)' }),
  updatedAt: isoDate.nullable(),
  updatedBy: z.string().nullable(),
}).meta({ id: 'Settings' });

const moduleName = z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a dotted module name');

export const settingsBody = z.object({
  allowSignups: z.boolean().optional(),
  allowedImports: z.array(moduleName).min(1).max(500).nullable().optional(),
  limits: limits.optional(),
  maxAppsPerUser: z.number().int().min(1).max(10_000).optional(),
  maxDatabasesPerUser: z.number().int().min(1).max(100).optional(),
  idleTimeoutMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
}).strict().refine((b) => Object.keys(b).length > 0, 'give at least one setting');

export const adminUser = userSchema.extend({
  apps: z.number().int(),
  runningApps: z.number().int(),
  databases: z.array(z.object({ name: z.string(), sizeBytes: z.number().nullable() })),
}).meta({ id: 'AdminUser' });
export const listUsersQuery = z.object({
  search: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();
export const userListResponse = z.object({ users: z.array(adminUser), total: z.number().int() });

export const userIdParams = z.object({ userId: z.string().max(64) });
export const setAdminBody = z.object({ isAdmin: z.boolean() }).strict();
/** An account as sign-up makes it, optionally an admin from the start (one request, nothing half done). */
export const createUserBody = z.object({ ...signupFields, isAdmin: z.boolean().default(false) }).strict().refine(...passwordNotUsername);

export const statsSchema = z.object({
  users: z.number().int(), admins: z.number().int(), signupsLast7Days: z.number().int(),
  apps: z.object({ total: z.number().int(), draft: z.number().int(), deploying: z.number().int(), running: z.number().int(), failed: z.number().int() }),
  templates: z.object({ global: z.number().int(), user: z.number().int() }),
  requestsLast24Hours: z.number().int(), generatedAt: isoDate,
}).meta({ id: 'Stats' });
