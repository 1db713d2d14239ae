/** Schemas of the runtime-facing app routes: status, progress, events, logs, manifests, the test panel, request history. */
import { z } from 'zod';
import { failureReasons, progressPhases } from '../runtime/types.js';
import { isoDate } from './common.js';

export const runtimeStatus = z.object({
  phase: z.enum(['absent', 'deploying', 'ready', 'failed']),
  servingVersion: z.number().int().nullable(),
  targetVersion: z.number().int().nullable(),
  url: z.string(),
  message: z.string().nullable(),
}).meta({ id: 'RuntimeStatus' });

export const progressEvent = z.object({
  phase: z.enum(progressPhases),
  version: z.number().int(),
  at: isoDate,
  message: z.string(),
  failure: z.object({ reason: z.enum(failureReasons), message: z.string(), file: z.string().nullable(), line: z.number().int().nullable() }).optional(),
}).meta({ id: 'ProgressEvent' });

export const runtimeEvent = z.object({
  at: isoDate, type: z.enum(['Normal', 'Warning']), reason: z.string(), message: z.string(), object: z.string().nullable(),
}).meta({ id: 'RuntimeEvent' });

export const eventsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export const logLine = z.object({
  cursor: z.string(), at: isoDate, stream: z.enum(['stdout', 'stderr']).nullable().meta({ description: 'null when the runtime cannot tell (Kubernetes pods/log interleaves both)' }), text: z.string(), version: z.number().int().nullable(),
}).meta({ id: 'LogLine' });

export const logsQuery = z.object({
  after: z.string().max(300).optional().meta({ description: 'Cursor of the last line already seen' }),
  since: z.string().datetime().optional(),
  tail: z.coerce.number().int().min(1).max(5000).default(200),
}).strict();

export const logTicket = z.object({ ticket: z.string(), expiresIn: z.number().int(), url: z.string() });

export const manifestsQuery = z.object({ of: z.enum(['deployed', 'draft']).default('deployed') }).strict();
export const manifestsResponse = z.object({
  version: z.number().int().nullable(),
  objects: z.array(z.record(z.string(), z.unknown())),
}).meta({ id: 'Manifests' });

const headerName = z.string().min(1).max(100).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name');
export const testRequestBody = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
  path: z.string().max(2000).regex(/^\/[^\s]*$/, 'a path starting with /'),
  headers: z.record(headerName, z.string().max(8000)).default({}),
  body: z.string().max(1024 * 1024).optional(),
}).strict();

export const testResponse = z.object({
  status: z.number().int(), headers: z.record(z.string(), z.string()), body: z.string(), truncated: z.boolean(), latencyMs: z.number(),
}).meta({ id: 'TestResponse' });

export const requestLog = z.object({
  id: z.string(), at: isoDate, method: z.string(), path: z.string(), status: z.number().int(), latencyMs: z.number(), coldStart: z.boolean(),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string(), file: z.string().nullable(), line: z.number().int().nullable() }).nullable(),
}).meta({ id: 'RequestLog' });

export const requestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  failed: z.enum(['true', 'false']).optional(),
}).strict();
