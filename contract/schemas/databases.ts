/** Schemas of the database routes: databases, their credentials, app bindings, and the explorer. */
import { z } from 'zod';
import { isoDate } from './common.js';

export const databaseBinding = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('auto') }).meta({ description: 'The owner\'s default database when the code reads PLATFORM_MONGO_URI' }),
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('bound'), databaseId: z.string().max(64) }),
]).meta({ id: 'DatabaseBinding' });

export const databaseSchema = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  provider: z.enum(['ferretdb', 'mongodb']),
  dbName: z.string(),
  username: z.string(),
  createdAt: isoDate,
  rotatedAt: isoDate,
  sizeBytes: z.number().nullable(),
  apps: z.array(z.object({ id: z.string(), name: z.string() })).meta({ description: 'Apps bound to this database by choice' }),
}).meta({ id: 'Database' });

export const databaseIdParams = z.object({ databaseId: z.string().max(64) });
export const collectionParams = databaseIdParams.extend({ collection: z.string().min(1).max(120) });

export const createDatabaseBody = z.object({ name: z.string().trim().min(1).max(40) }).strict();
export const confirmQuery = z.object({ confirm: z.string().max(200).meta({ description: 'The name, typed again' }) });

export const credentialsSchema = z.object({
  uri: z.string().meta({ description: 'What an app bound to it gets as PLATFORM_MONGO_URI' }),
  username: z.string(),
  password: z.string(),
  dbName: z.string(),
}).meta({ id: 'DatabaseCredentials' });

export const collectionSchema = z.object({ name: z.string(), count: z.number().int(), sizeBytes: z.number().nullable() }).meta({ id: 'Collection' });

export const queryBody = z.object({
  filter: z.string().max(64 * 1024).optional().meta({ description: 'A JSON (Extended JSON) filter, e.g. {"age": {"$gte": 21}}', example: '{"done": false}' }),
  sort: z.string().max(4096).optional().meta({ example: '{"_id": -1}' }),
  projection: z.string().max(16 * 1024).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
}).strict();

export const pageSchema = z.object({
  documents: z.array(z.unknown()).meta({ description: 'Relaxed Extended JSON' }),
  cursor: z.string().nullable().meta({ description: 'For the next page; null at the end' }),
}).meta({ id: 'DocumentPage' });

export const cursorParams = databaseIdParams.extend({ cursor: z.string().max(64) });
export const documentIdBody = z.object({ id: z.string().max(4096).meta({ description: 'The document\'s _id as Extended JSON, e.g. {"$oid": "…"}' }) }).strict();
