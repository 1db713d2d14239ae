/**
 * The `ferretdb` provider on the Kubernetes runtime: each tenant's databases live on that tenant's own
 * FerretDB (constructs/tenant-database.ts), server-side-applied into the apps namespace on the
 * tenant's first need and fenced by a NetworkPolicy that admits only the tenant's app pods and the
 * platform's API. Apps reach it by its Service's DNS name; the platform (making users, the explorer)
 * by its Service's ClusterIP, which works from inside the cluster and from a host that routes the
 * service network (the test bed's). Each database has a user of its own, created through the tenant's
 * administrator, whose password is derived from SECRET_KEY and the tenant (so no store holds it, and
 * every API process derives the same one).
 *
 * A server that cannot start (its image, a crash loop, no node for it) fails the first need with the
 * cluster's reason as soon as the cluster says it, and within `startMs` in any case: never a hang.
 */
import { createHmac } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  synthTenantDatabase, tenantDatabaseAdmin, tenantDatabaseHost, tenantDatabaseName, tenantDatabasePort,
  type TenantDatabasePlatformPeer, type TenantDatabaseStorage,
} from '../../constructs/index.js';
import { UnavailableError } from '../errors.js';
import { applyTenantDatabase, removeTenantDatabase, tenantDatabaseState, type KubeClient } from '../k8s/index.js';
import type { DatabaseProvider, DatabaseRef, Lease } from './types.js';

export interface KubernetesFerretDbOptions {
  readonly client: KubeClient;
  /** Where tenants' servers go (the apps namespace: their apps' NetworkPolicies name them there). */
  readonly namespace: string;
  /** A FerretDB 1.24 image. */
  readonly image: string;
  readonly storage: TenantDatabaseStorage;
  /** The API's pods, which each tenant's server admits besides the tenant's apps. */
  readonly platform: TenantDatabasePlatformPeer;
  /** A key of the platform's own (derived from SECRET_KEY): each tenant's administrator password comes from it. */
  readonly adminKey: Buffer;
  /** How long a tenant's server may take to become ready. */
  readonly startMs: number;
  readonly log: (message: string) => void;
}

function userUri(host: string, db: DatabaseRef, password: string): string {
  return `mongodb://${encodeURIComponent(db.username)}:${encodeURIComponent(password)}@${host}:${tenantDatabasePort}/${db.dbName}?authSource=${db.dbName}`;
}

export function kubernetesFerretDbProvider(options: KubernetesFerretDbOptions): DatabaseProvider {
  const { client, namespace } = options;
  const adminPassword = (ownerId: string) => createHmac('sha256', options.adminKey).update(`tenant-database-admin:${ownerId}`).digest('base64url');
  /** Each tenant's server being made ready by this process: concurrent needs share one wait. */
  const ensuring = new Map<string, Promise<string>>();
  /** Each tenant's Service address as last seen (stable while the Service exists). */
  const addresses = new Map<string, string>();

  const objects = (ownerId: string) => synthTenantDatabase({
    namespace, ownerId, image: options.image, adminPassword: adminPassword(ownerId), platform: options.platform, storage: options.storage,
  });

  const pingAsAdmin = async (ownerId: string, address: string, deadline: number): Promise<void> => {
    // The pod is Ready when the port listens; the administrator exists a moment later.
    for (;;) {
      const admin = new MongoClient(`mongodb://${tenantDatabaseAdmin}:${encodeURIComponent(adminPassword(ownerId))}@${address}:${tenantDatabasePort}/?authSource=admin`,
        { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
      try {
        await admin.db('admin').command({ ping: 1 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new UnavailableError(`Your database server is running but does not answer the platform (${(error as Error).message}).`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 250));
      } finally {
        await admin.close();
      }
    }
  };

  /** Applies the tenant's server when it is not ready, waits for it, and returns its Service address. */
  const makeReady = async (ownerId: string): Promise<string> => {
    const name = tenantDatabaseName(ownerId);
    const deadline = Date.now() + options.startMs;
    let state = await tenantDatabaseState(client, namespace, ownerId);
    if (!state.ready) {
      await applyTenantDatabase(client, objects(ownerId));
      options.log(`tenant database ${name} applied for ${ownerId}`);
    }
    while (!state.ready || !state.clusterIp) {
      if (state.failure) throw new UnavailableError(`Your database server cannot start: ${state.failure}.`, { details: { server: name } });
      if (Date.now() > deadline) {
        throw new UnavailableError(`Your database server did not become ready within ${Math.round(options.startMs / 1000)} s (${state.detail}).`, { details: { server: name } });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = await tenantDatabaseState(client, namespace, ownerId);
    }
    await pingAsAdmin(ownerId, state.clusterIp, deadline);
    addresses.set(ownerId, state.clusterIp);
    return state.clusterIp;
  };

  const ensure = (ownerId: string): Promise<string> => {
    const pending = ensuring.get(ownerId);
    if (pending) return pending;
    const made = makeReady(ownerId).finally(() => ensuring.delete(ownerId));
    ensuring.set(ownerId, made);
    return made;
  };

  const asAdmin = async <T>(ownerId: string, work: (client: MongoClient) => Promise<T>): Promise<T> => {
    const address = await ensure(ownerId);
    const admin = new MongoClient(`mongodb://${tenantDatabaseAdmin}:${encodeURIComponent(adminPassword(ownerId))}@${address}:${tenantDatabasePort}/?authSource=admin`, { serverSelectionTimeoutMS: 10_000 });
    try {
      return await work(admin);
    } finally {
      await admin.close();
    }
  };

  return {
    kind: 'ferretdb',
    prepare: async (db) => { await ensure(db.ownerId); },
    create: (db, password) => asAdmin(db.ownerId, async (admin) => {
      await admin.db(db.dbName).command({ createUser: db.username, pwd: password, roles: [] });
    }),
    rotate: (db, password) => asAdmin(db.ownerId, async (admin) => {
      await admin.db(db.dbName).command({ updateUser: db.username, pwd: password });
    }),
    drop: (db) => asAdmin(db.ownerId, async (admin) => {
      await admin.db(db.dbName).command({ dropUser: db.username }).catch(() => {});
      await admin.db(db.dbName).dropDatabase();
    }),
    async dropTenant(ownerId) {
      addresses.delete(ownerId);
      await removeTenantDatabase(client, namespace, ownerId);
    },
    appUri: (db, password) => userUri(tenantDatabaseHost(db.ownerId, namespace), db, password),
    async sizeBytes(db) {
      // Starts nothing: a server that is not up has no size to tell.
      const address = addresses.get(db.ownerId) ?? (await tenantDatabaseState(client, namespace, db.ownerId)).clusterIp;
      if (!address) throw new Error('the tenant database does not exist');
      const admin = new MongoClient(`mongodb://${tenantDatabaseAdmin}:${encodeURIComponent(adminPassword(db.ownerId))}@${address}:${tenantDatabasePort}/?authSource=admin`, { serverSelectionTimeoutMS: 2000 });
      try {
        const stats = await admin.db(db.dbName).command({ dbStats: 1 }) as { totalSize?: number; storageSize?: number; dataSize?: number };
        return stats.totalSize ?? stats.storageSize ?? stats.dataSize ?? 0;
      } finally {
        await admin.close();
      }
    },
    async connect(db, password): Promise<Lease<MongoClient>> {
      const address = await ensure(db.ownerId);
      const user = await MongoClient.connect(userUri(address, db, password), { serverSelectionTimeoutMS: 10_000 });
      return { value: user, release: () => user.close() };
    },
    async close() {},
  };
}
