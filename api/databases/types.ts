/**
 * Where tenants' databases live. A provider creates a database with a user of its own, rotates that
 * user's password, drops both, and drops everything of a tenant; it says how an app reaches a database
 * (the URI its `PLATFORM_MONGO_URI` carries) and connects the platform to one as that database's own
 * user (the explorer never uses the platform's credentials).
 */
import type { MongoClient } from 'mongodb';

export interface DatabaseRef {
  readonly id: string;
  readonly ownerId: string;
  /** The MongoDB database name (`d_<id>`). */
  readonly dbName: string;
  /** The database's own user. */
  readonly username: string;
}

/** A client held for a while; `release` lets the provider stop what it started for it. */
export interface Lease<T> {
  readonly value: T;
  release(): Promise<void>;
}

export interface DatabaseProvider {
  readonly kind: 'ferretdb' | 'mongodb';
  /**
   * Makes sure the server holding `db` runs (a deploy calls it before handing an app the URI), failing
   * with a sentence when it cannot. Providers whose servers follow their apps (the local runtime) omit it.
   */
  prepare?(db: DatabaseRef): Promise<void>;
  create(db: DatabaseRef, password: string): Promise<void>;
  rotate(db: DatabaseRef, password: string): Promise<void>;
  drop(db: DatabaseRef): Promise<void>;
  dropTenant(ownerId: string): Promise<void>;
  /** What an app's `PLATFORM_MONGO_URI` says (inside its sandbox or pod). */
  appUri(db: DatabaseRef, password: string): string;
  /** What the database takes on disk (without starting anything that is stopped). */
  sizeBytes(db: DatabaseRef): Promise<number>;
  /** A client connected as the database's own user, from the platform's side. */
  connect(db: DatabaseRef, password: string): Promise<Lease<MongoClient>>;
  close(): Promise<void>;
}
