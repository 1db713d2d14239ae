/**
 * The AppTemplate document: a Kubernetes-style envelope around a project (files + entrypoint) with
 * what the gallery shows (title, description, language, framework, complexity, tags), whether it needs
 * a database, which packages it imports (each must be in its runner's image), and example requests
 * that the test panel offers and the tests replay. Shared by the runner tests, the API's seeding
 * and user templates.
 */
import { z } from 'zod';

const slug = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/, 'lower-case letters, digits and dashes');
const filePath = z.string().min(1).max(200)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.\-/]+$/, 'a relative path of letters, digits, "_", "-", "." and "/"');

export const exampleRequestSchema = z.object({
  title: z.string().min(1).max(80),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().regex(/^\//, 'starts with /'),
  headers: z.record(z.string(), z.string()).optional(),
  /** A JSON body (sent as application/json) or a string (sent as given, with `headers`). */
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  expect: z.object({
    status: z.number().int().min(100).max(599),
    /** Substrings the response body must contain. */
    contains: z.array(z.string()).default([]),
  }).strict(),
}).strict();

export const appTemplateSchema = z.object({
  apiVersion: z.literal('fastapi-platform.io/v1'),
  kind: z.literal('AppTemplate'),
  metadata: z.object({ name: slug }).strict(),
  spec: z.object({
    title: z.string().min(3).max(80),
    description: z.string().min(10).max(400),
    /** Python runs on runner/ (FastAPI, FastHTML); TypeScript on runner-node/ (Hono). */
    language: z.enum(['python', 'typescript']).default('python'),
    framework: z.enum(['fastapi', 'fasthtml', 'hono']),
    complexity: z.enum(['beginner', 'intermediate', 'advanced']),
    tags: z.array(slug).max(8).default([]),
    /** @default app.py for Python, app.ts for TypeScript */
    entrypoint: filePath.optional(),
    /** The app reads PLATFORM_MONGO_URI and needs a database bound. */
    database: z.boolean().default(false),
    /**
     * What the files import: pip distributions, each in runner/requirements.txt (Python); npm packages,
     * each in runner-node/package.json (TypeScript).
     */
    requirements: z.array(z.string().regex(/^(@[a-z0-9-]+\/)?[A-Za-z0-9_.-]+$/)).min(1),
    files: z.record(filePath, z.string().max(100 * 1024)),
    /** Requests that show what the app does; replayed in order by the tests. */
    examples: z.array(exampleRequestSchema).min(1),
  }).strict()
    .transform((spec) => ({ ...spec, entrypoint: spec.entrypoint ?? (spec.language === 'typescript' ? 'app.ts' : 'app.py') }))
    .refine((spec) => spec.entrypoint in spec.files, { message: 'the entrypoint must be one of files', path: ['entrypoint'] })
    .refine((spec) => (spec.language === 'typescript') === (spec.framework === 'hono'), { message: 'Hono templates are TypeScript, FastAPI and FastHTML ones Python', path: ['framework'] }),
}).strict();

export type AppTemplate = z.infer<typeof appTemplateSchema>;
export type ExampleRequest = z.infer<typeof exampleRequestSchema>;
