/**
 * The platform's collections and their indexes. `connectDatabase` is the only place that opens the
 * MongoDB connection; indexes are ensured at boot and are idempotent.
 */
import { MongoClient, type Collection, type Db } from 'mongodb';
import type { TrafficCollections } from '../gateway/traffic.js';
import type {
  ApiTokenDoc, AppDoc, DatabaseDoc, DeviceLoginDoc, DraftDoc, IdempotencyDoc, LockDoc, NameClaimDoc, RevocationDoc, SessionDoc,
  SettingsDoc, TemplateDoc, UserDoc, VersionDoc, StampDoc, CounterDoc, LogTicketDoc,
} from './documents.js';

export interface Database {
  readonly client: MongoClient;
  readonly db: Db;
  readonly users: Collection<UserDoc>;
  readonly sessions: Collection<SessionDoc>;
  readonly apiTokens: Collection<ApiTokenDoc>;
  readonly deviceLogins: Collection<DeviceLoginDoc>;
  readonly apps: Collection<AppDoc>;
  readonly drafts: Collection<DraftDoc>;
  readonly versions: Collection<VersionDoc>;
  readonly templates: Collection<TemplateDoc>;
  readonly settings: Collection<SettingsDoc>;
  readonly idempotency: Collection<IdempotencyDoc>;
  readonly locks: Collection<LockDoc>;
  readonly names: Collection<NameClaimDoc>;
  readonly revocations: Collection<RevocationDoc>;
  readonly databases: Collection<DatabaseDoc>;
  readonly stamps: Collection<StampDoc>;
  readonly counters: Collection<CounterDoc>;
  readonly logTickets: Collection<LogTicketDoc>;
  readonly traffic: TrafficCollections;
  close(): Promise<void>;
}

export function databaseOf(client: MongoClient, name: string): Database {
  const db = client.db(name);
  return {
    client,
    db,
    users: db.collection('users'),
    sessions: db.collection('sessions'),
    apiTokens: db.collection('api_tokens'),
    deviceLogins: db.collection('device_logins'),
    apps: db.collection('apps'),
    drafts: db.collection('drafts'),
    versions: db.collection('versions'),
    templates: db.collection('templates'),
    settings: db.collection('settings'),
    idempotency: db.collection('idempotency'),
    locks: db.collection('locks'),
    names: db.collection('names'),
    revocations: db.collection('revocations'),
    databases: db.collection('databases'),
    stamps: db.collection('stamps'),
    counters: db.collection('counters'),
    logTickets: db.collection('log_tickets'),
    traffic: { minutes: db.collection('traffic_minutes'), index: db.collection('traffic_index'), replicas: db.collection('gateway_replicas') },
    close: () => client.close(),
  };
}

export async function ensureIndexes(d: Database): Promise<void> {
  await Promise.all([
    d.users.createIndex({ usernameKey: 1 }, { unique: true, name: 'usernameKey_unique' }),
    d.users.createIndex({ emailKey: 1 }, { unique: true, name: 'emailKey_unique' }),
    d.users.createIndex({ createdAt: -1 }),
    d.sessions.createIndex({ id: 1 }, { unique: true, name: 'id_unique' }),
    d.sessions.createIndex({ userId: 1 }),
    d.sessions.createIndex({ expiresAt: 1 }),
    d.apiTokens.createIndex({ id: 1 }, { unique: true, name: 'id_unique' }),
    d.apiTokens.createIndex({ userId: 1 }),
    d.deviceLogins.createIndex({ expiresAt: 1 }),
    d.apps.createIndex({ ownerId: 1, updatedAt: -1, _id: -1 }),
    d.apps.createIndex({ ownerId: 1, 'deploy.phase': 1 }),
    d.drafts.createIndex({ appId: 1, revision: -1 }),
    d.versions.createIndex({ appId: 1, number: -1 }),
    d.templates.createIndex({ ownerId: 1, nameKey: 1 }),
    d.idempotency.createIndex({ expiresAt: 1 }),
    d.databases.createIndex({ ownerId: 1, nameKey: 1 }),
    d.counters.createIndex({ expiresAt: 1 }),
    d.logTickets.createIndex({ expiresAt: 1 }),
  ]);
}

export async function connectDatabase(uri: string, name: string): Promise<Database> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000, maxPoolSize: 50 });
  const database = databaseOf(client, name);
  await ensureIndexes(database);
  return database;
}

/** True for a duplicate-key error (E11000), the one race outcome the platform relies on. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
