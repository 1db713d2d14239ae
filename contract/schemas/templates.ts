/** Schemas of the template routes (user and admin). */
import { z } from 'zod';
import { entrypointSchema, filesSchema, isoDate } from './common.js';

const complexity = z.enum(['beginner', 'intermediate', 'advanced']);
const tag = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/, 'lower-case letters, digits and dashes');

export const exampleSchema = z.object({
  title: z.string().min(1).max(80),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().regex(/^\//).max(500),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
}).meta({ id: 'Example' });

export const templateSummary = z.object({
  id: z.string(), title: z.string(), description: z.string(), language: z.enum(['python', 'typescript']), framework: z.enum(['fastapi', 'fasthtml', 'starlette', 'hono']), complexity, tags: z.array(z.string()),
  database: z.boolean(), scope: z.enum(['global', 'mine']), hidden: z.boolean(), fileCount: z.number().int(), updatedAt: isoDate,
}).meta({ id: 'TemplateSummary' });

export const templateDetail = templateSummary.extend({
  entrypoint: z.string(), files: z.record(z.string(), z.string()), examples: z.array(exampleSchema),
}).meta({ id: 'Template' });

export const adminTemplate = templateDetail.extend({
  builtin: z.string().nullable(), adminHidden: z.boolean(), editedByAdmin: z.boolean(), builtinUpdatePending: z.boolean(), ownerId: z.string().nullable(),
}).meta({ id: 'AdminTemplate' });

export const listTemplatesQuery = z.object({
  scope: z.enum(['all', 'mine', 'global']).default('all'),
  framework: z.enum(['fastapi', 'fasthtml', 'hono']).optional(),
  complexity: complexity.optional(),
  includeHidden: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
}).strict();

export const templateIdParams = z.object({ templateId: z.string().max(64) });

export const createTemplateBody = z.object({
  title: z.string().trim().min(3).max(80),
  description: z.string().trim().min(1).max(400),
  complexity: complexity.default('beginner'),
  tags: z.array(tag).max(8).default([]),
  files: filesSchema.optional(),
  entrypoint: entrypointSchema.optional(),
  fromAppId: z.string().max(64).optional(),
  examples: z.array(exampleSchema).max(20).optional(),
}).strict().refine((b) => Boolean(b.files) !== Boolean(b.fromAppId), { message: 'give either files or fromAppId', path: ['files'] });

const templateFields = z.object({
  title: z.string().trim().min(3).max(80).optional(),
  description: z.string().trim().min(1).max(400).optional(),
  complexity: complexity.optional(),
  tags: z.array(tag).max(8).optional(),
  files: filesSchema.optional(),
  entrypoint: z.string().min(1).max(200).optional(),
  examples: z.array(exampleSchema).max(20).optional(),
});
const atLeastOne = (b: object) => Object.keys(b).length > 0;

export const updateTemplateBody = templateFields.strict().refine(atLeastOne, 'give at least one field');

/** An admin may also hide a global template for everyone. */
export const adminUpdateTemplateBody = templateFields.extend({ hidden: z.boolean().optional() }).strict().refine(atLeastOne, 'give at least one field');
