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
 *
 * An idle tenant's server sleeps, as the local runtime stops it: zero replicas (the scale subresource,
 * as apps sleep) once none of the tenant's apps is awake and nothing of this process (the explorer,
 * making users) has used it for `idleMs`. Any need here wakes it; an app's wake (the gateway's, or the
 * API's) wakes it beside the app (api/runtime/kubernetes/sleep.ts). A server on an emptyDir never
 * sleeps: its data would go with its pod.
 */
import { createHmac } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  synthTenantDatabase, tenantDatabaseAdmin, tenantDatabaseHost, tenantDatabaseName, tenantDatabasePort,
  type TenantDatabasePlatformPeer, type TenantDatabaseStorage,
} from '../../constructs/index.js';
import { UnavailableError } from '../errors.js';
import {
  applyTenantDatabase, removeTenantDatabase, scaleDeployment, sleepTenantDatabase, tenantDatabaseReplicas, tenantDatabaseState, type KubeClient,
} from '../k8s/index.js';
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
  /**
   * How long a tenant's server stays up once nothing uses it (DATABASE_IDLE_SECONDS).
   * @default - never sleeps
   */
  readonly idleMs?: number;
  /** Whether an app of the tenant is awake (it may use the server at any moment). */
  readonly appsAwake?: (ownerId: string) => Promise<boolean>;
  /**
   * Whether this replica sweeps now (the one holding the reconciler Lease). Another replica's recent use
   * is not seen by the sweeper (it is kept in memory), but any need wakes a sleeping server again.
   * @default - always
   */
  readonly sweeps?: () => boolean;
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
  /** Each tenant's Service address as last seen while its server was up (stable while the Service exists). */
  const addresses = new Map<string, string>();
  /** When this process last used each tenant's server, and the clients it holds on it now. */
  const lastUsed = new Map<string, number>();
  const held = new Map<string, number>();
  const used = (ownerId: string) => { lastUsed.set(ownerId, Date.now()); };

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
      // Apply never sets the replica count: a sleeping server is woken through the scale subresource.
      if (state.replicas === 0) await scaleDeployment(client, namespace, name, 1);
      options.log(`tenant database ${name} ${state.replicas === 0 ? 'woken' : 'applied'} for ${ownerId}`);
      state = await tenantDatabaseState(client, namespace, ownerId);
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
    used(ownerId);
    const pending = ensuring.get(ownerId);
    if (pending) return pending;
    const made = makeReady(ownerId).finally(() => {
      ensuring.delete(ownerId);
      used(ownerId);
    });
    ensuring.set(ownerId, made);
    return made;
  };

  /** Whether the tenant's server must stay up now, and whether that is for an awake app. */
  const needed = async (ownerId: string, idleMs: number): Promise<{ need: boolean; awake: boolean }> => {
    if (await options.appsAwake?.(ownerId)) {
      used(ownerId);
      return { need: true, awake: true };
    }
    if (ensuring.has(ownerId) || (held.get(ownerId) ?? 0) > 0) return { need: true, awake: false };
    const last = lastUsed.get(ownerId);
    // A server this process has not seen used (a restarted API) gets a full idle time from now.
    if (last === undefined) used(ownerId);
    return { need: last === undefined || Date.now() - last < idleMs, awake: false };
  };

  /**
   * Puts idle tenants' servers to sleep, and wakes a sleeping one whose app is awake (a wake that raced
   * a sleep, or an app woken before it had a server): one list of the servers per run.
   */
  const sweep = async (idleMs: number): Promise<void> => {
    for (const [ownerId, replicas] of await tenantDatabaseReplicas(client, namespace)) {
      try {
        const now = await needed(ownerId, idleMs);
        if (replicas > 0 && !now.need) {
          addresses.delete(ownerId);
          await sleepTenantDatabase(client, namespace, ownerId);
          // An app woken meanwhile (the gateway wakes the server beside it) keeps its server.
          if ((await needed(ownerId, idleMs)).need) await scaleDeployment(client, namespace, tenantDatabaseName(ownerId), 1);
          else options.log(`tenant database ${tenantDatabaseName(ownerId)} of ${ownerId} sleeps (idle ${Math.round(idleMs / 1000)} s)`);
        } else if (replicas === 0 && now.awake) {
          await scaleDeployment(client, namespace, tenantDatabaseName(ownerId), 1);
        }
      } catch (error) {
        options.log(`idle sweep of ${ownerId}'s database server: ${String(error)}`);
      }
    }
  };
  const idleMs = options.idleMs;
  let sweeping = false;
  const sweeper = idleMs !== undefined && options.storage.kind === 'volume'
    ? setInterval(() => {
      if (sweeping || options.sweeps?.() === false) return;
      sweeping = true;
      sweep(idleMs).catch((error: unknown) => options.log(`idle sweep of database servers: ${String(error)}`)).finally(() => { sweeping = false; });
    }, Math.min(30_000, Math.max(500, Math.floor(idleMs / 4))))
    : null;
  sweeper?.unref();

  const asAdmin = async <T>(ownerId: string, work: (client: MongoClient) => Promise<T>): Promise<T> => {
    const address = await ensure(ownerId);
    held.set(ownerId, (held.get(ownerId) ?? 0) + 1);
    const admin = new MongoClient(`mongodb://${tenantDatabaseAdmin}:${encodeURIComponent(adminPassword(ownerId))}@${address}:${tenantDatabasePort}/?authSource=admin`, { serverSelectionTimeoutMS: 10_000 });
    try {
      return await work(admin);
    } finally {
      held.set(ownerId, Math.max(0, (held.get(ownerId) ?? 1) - 1));
      used(ownerId);
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
      // Starts nothing: a server that is not up (none yet, or asleep) has no size to tell.
      let address = addresses.get(db.ownerId) ?? null;
      if (!address) {
        const state = await tenantDatabaseState(client, namespace, db.ownerId);
        if (!state.ready || !state.clusterIp) throw new Error(`the tenant database server is not up (${state.detail})`);
        address = state.clusterIp;
      }
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
      held.set(db.ownerId, (held.get(db.ownerId) ?? 0) + 1);
      let user: MongoClient;
      const release = () => {
        held.set(db.ownerId, Math.max(0, (held.get(db.ownerId) ?? 1) - 1));
        used(db.ownerId);
      };
      try {
        user = await MongoClient.connect(userUri(address, db, password), { serverSelectionTimeoutMS: 10_000 });
      } catch (error) {
        release();
        throw error;
      }
      let released = false;
      return {
        value: user,
        release: async () => {
          if (released) return;
          released = true;
          release();
          await user.close();
        },
      };
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
    },
  };
}
