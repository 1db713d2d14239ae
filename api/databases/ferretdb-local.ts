/**
 * The `ferretdb` provider on the local runtime: each tenant's databases live on that tenant's own
 * FerretDB (runtime/local/tenant-servers.ts), reached on its Unix socket. Each database has a user
 * of its own, created through the tenant's administrator. FerretDB 1.x checks credentials but not
 * which database they may use, so the boundary is the server: one tenant's credentials reach nothing
 * of another's, while a tenant's own databases share its server.
 */
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { sandboxDbSocketDir, socketName, type TenantServers } from '../runtime/local/tenant-servers.js';
import type { DatabaseProvider, DatabaseRef, Lease } from './types.js';

function uri(socket: string, db: DatabaseRef, password: string): string {
  return `mongodb://${encodeURIComponent(db.username)}:${encodeURIComponent(password)}@${encodeURIComponent(socket)}/${db.dbName}?authSource=${db.dbName}`;
}

export function localFerretDbProvider(servers: TenantServers): DatabaseProvider {
  const asAdmin = async <T>(ownerId: string, work: (client: MongoClient) => Promise<T>): Promise<T> => {
    await servers.acquire(ownerId);
    const client = new MongoClient(await servers.adminUriOf(ownerId), { serverSelectionTimeoutMS: 10_000 });
    try {
      return await work(client);
    } finally {
      await client.close();
      servers.release(ownerId);
    }
  };
  return {
    kind: 'ferretdb',
    create: (db, password) => asAdmin(db.ownerId, async (client) => {
      await client.db(db.dbName).command({ createUser: db.username, pwd: password, roles: [] });
    }),
    rotate: (db, password) => asAdmin(db.ownerId, async (client) => {
      await client.db(db.dbName).command({ updateUser: db.username, pwd: password });
    }),
    drop: (db) => asAdmin(db.ownerId, async (client) => {
      await client.db(db.dbName).command({ dropUser: db.username }).catch(() => {});
      await client.db(db.dbName).dropDatabase();
    }),
    dropTenant: (ownerId) => servers.remove(ownerId),
    appUri: (db, password) => uri(`${sandboxDbSocketDir}/${socketName}`, db, password),
    sizeBytes: (db) => servers.databaseBytes(db.ownerId, db.dbName),
    async connect(db, password): Promise<Lease<MongoClient>> {
      await servers.acquire(db.ownerId);
      const client = new MongoClient(uri(join(servers.socketDirOf(db.ownerId), socketName), db, password), { serverSelectionTimeoutMS: 10_000 });
      try {
        await client.connect();
      } catch (error) {
        servers.release(db.ownerId);
        throw error;
      }
      return { value: client, release: async () => { await client.close(); servers.release(db.ownerId); } };
    },
    close: () => servers.close(),
  };
}
