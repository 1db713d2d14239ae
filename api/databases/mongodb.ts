/**
 * The `mongodb` provider, for operators who bring MongoDB ≥ 4.4: each database gets a user created in
 * that database with `readWrite` on it alone, so the URI an app gets carries `authSource=<database>`
 * and reaches nothing else. The platform's own credentials need only `userAdmin` and `readWrite` on
 * tenant databases (never cluster admin). Rotation is `updateUser`; deletion `dropUser` + `dropDatabase`.
 */
import { MongoClient } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { DatabaseProvider, DatabaseRef, Lease } from './types.js';

/** How the provider talks to the server as its administrator: one command in one database. */
export interface AdminCommands {
  command(database: string, command: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export function mongoAdmin(adminUri: string): AdminCommands {
  const client = new MongoClient(adminUri, { serverSelectionTimeoutMS: 10_000 });
  return {
    command: (database, command) => client.db(database).command(command),
    close: () => client.close(),
  };
}

/** The app's URI: the operator's hosts and TLS options, the database's own user, authSource the database. */
export function databaseUri(adminUri: string, db: DatabaseRef, password: string): string {
  // Not WHATWG URL: a MongoDB URI may list several hosts (`a:27017,b:27017`).
  const parsed = new ConnectionString(adminUri);
  parsed.username = encodeURIComponent(db.username);
  parsed.password = encodeURIComponent(password);
  parsed.pathname = `/${db.dbName}`;
  for (const key of ['authSource', 'authMechanism', 'authMechanismProperties']) parsed.searchParams.delete(key);
  parsed.searchParams.set('authSource', db.dbName);
  return parsed.toString();
}

export function mongodbProvider(adminUri: string, admin: AdminCommands = mongoAdmin(adminUri)): DatabaseProvider {
  return {
    kind: 'mongodb',
    async create(db, password) {
      await admin.command(db.dbName, { createUser: db.username, pwd: password, roles: [{ role: 'readWrite', db: db.dbName }] });
    },
    async rotate(db, password) {
      await admin.command(db.dbName, { updateUser: db.username, pwd: password });
    },
    async drop(db) {
      await admin.command(db.dbName, { dropUser: db.username }).catch(() => {});
      await admin.command(db.dbName, { dropDatabase: 1 });
    },
    // Each of the tenant's databases is dropped on its own; nothing else is the tenant's.
    async dropTenant() {},
    appUri: (db, password) => databaseUri(adminUri, db, password),
    async sizeBytes(db) {
      const stats = await admin.command(db.dbName, { dbStats: 1 }) as { totalSize?: number; storageSize?: number; dataSize?: number };
      return stats.totalSize ?? stats.storageSize ?? stats.dataSize ?? 0;
    },
    async connect(db, password): Promise<Lease<MongoClient>> {
      const client = await MongoClient.connect(databaseUri(adminUri, db, password), { serverSelectionTimeoutMS: 10_000 });
      return { value: client, release: () => client.close() };
    },
    close: () => admin.close(),
  };
}
