/** Schemas of the runtime-facing app routes: status, progress, events, logs, manifests, the test panel, request history. */
import { z } from 'zod';
import { failureReasons, progressPhases } from '../phases.js';
import { isoDate } from './common.js';

export const runtimeStatus = z.object({
  phase: z.enum(['absent', 'deploying', 'ready', 'failed', 'sleeping']),
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
  bytes: z.number().int(), version: z.number().int().nullable().meta({ description: 'The version that answered' }),
  wakeMs: z.number().nullable().meta({ description: 'How long a cold request waited for the app to wake' }),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string(), file: z.string().nullable(), line: z.number().int().nullable() }).nullable(),
}).meta({ id: 'RequestLog' });

export const requestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  failed: z.enum(['true', 'false']).optional(),
  status: z.string().regex(/^[1-5](\d\d|xx)$/i, 'a status such as 404, or a class such as 5xx').optional(),
  method: z.string().regex(/^[A-Za-z]{1,10}$/, 'an HTTP method such as GET').transform((m) => m.toUpperCase()).optional(),
  path: z.string().max(2000).regex(/^\//, 'a path starting with /').optional().meta({ description: 'Only requests whose path starts with this' }),
}).strict();

const statusClassCounts = z.object({ '1xx': z.number().int(), '2xx': z.number().int(), '3xx': z.number().int(), '4xx': z.number().int(), '5xx': z.number().int() });

export const metricsQuery = z.object({
  minutes: z.coerce.number().int().min(5).max(7 * 24 * 60).default(60).meta({ description: 'The window: the last N minutes (at most a week)' }),
}).strict();

export const metricsResponse = z.object({
  from: isoDate,
  to: isoDate,
  bucketMinutes: z.number().int().meta({ description: 'Minutes per point' }),
  latencyBucketsMs: z.array(z.number()).meta({ description: 'The histograms\' bucket upper bounds; the last bucket is slower than all' }),
  points: z.array(z.object({
    at: isoDate, requests: z.number().int(), classes: statusClassCounts, errorRate: z.number(),
    p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(), cold: z.number().int(),
  })),
  totals: z.object({
    requests: z.number().int(), classes: statusClassCounts, errorRate: z.number(), histogram: z.array(z.number().int()),
    p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(), cold: z.number().int(), bytes: z.number().int(),
    dropped: z.number().int().meta({ description: 'Records the gateway dropped under pressure (counts are exact regardless)' }),
  }),
}).meta({ id: 'AppMetrics' });

export const sleepSchema = z.object({
  state: z.enum(['awake', 'sleeping', 'waking']),
  since: isoDate.nullable(),
  idleTimeoutSeconds: z.number().int().nullable().meta({ description: 'The app\'s own idle timeout (null: the platform\'s)' }),
  effectiveIdleTimeoutSeconds: z.number().int().nullable().meta({ description: 'After this long without a request the app sleeps (null: always on)' }),
  alwaysOn: z.boolean(),
  lastWakeMs: z.number().nullable(),
}).meta({ id: 'AppSleep' });

export const setSleepBody = z.object({ idleTimeoutSeconds: z.number().int().min(10).max(7 * 86_400).nullable() }).strict();
export const alwaysOnBody = z.object({ alwaysOn: z.boolean() }).strict();
