/**
 * The documents the platform stores. Built for FerretDB 1.24 as well as MongoDB: uniqueness comes from
 * unique indexes on normalized fields or from `_id`, never from read-then-write checks; state that must
 * change under concurrency is written as new immutable documents (drafts, versions) keyed so that a
 * racing writer hits E11000; expiry is a field checked on read and swept periodically (no TTL index).
 * Project files are stored as a list of {path, content}, because paths contain dots.
 */
import type { Framework, Language } from '../../validation/index.js';

export interface StoredFile {
  readonly path: string;
  readonly content: string;
}

export interface UserDoc {
  _id: string;
  username: string;
  usernameKey: string;
  email: string;
  emailKey: string;
  passwordHash: string;
  isAdmin: boolean;
  createdAt: Date;
  hiddenTemplates: string[];
  /** Set while a deletion cascades; the account can no longer sign in. */
  deletingAt?: Date;
}

export interface SessionDoc {
  /** SHA-256 of the refresh token; the token itself is never stored. */
  _id: string;
  /** Public id, for listing and revoking. */
  id: string;
  userId: string;
  kind: 'browser' | 'cli';
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string;
}

/** A revoked session or user (its id): access tokens issued before `at` are refused. */
export interface RevocationDoc {
  _id: string;
  at: Date;
  /** Every access token issued before `at` has expired by then; swept afterwards. */
  expiresAt: Date;
}

export interface ApiTokenDoc {
  /** SHA-256 of the token. */
  _id: string;
  id: string;
  userId: string;
  name: string;
  /** The first characters, so people can tell their tokens apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/**
 * A device-code sign-in, as immutable documents keyed by its user code: the request (`<code>`), the one
 * decision (`<code>:decision`, the first approve or deny wins) and the one hand-over of the session
 * (`<code>:claimed`). Unique `_id` inserts serialize them on FerretDB, where updates are not atomic.
 */
export type DeviceLoginDoc =
  | { _id: string; kind: 'request'; secretHash: string; client: string; address: string; createdAt: Date; expiresAt: Date; lastPollAt?: Date }
  | { _id: string; kind: 'decision'; decision: 'approved' | 'denied'; userId: string; createdAt: Date; expiresAt: Date }
  | { _id: string; kind: 'claim'; createdAt: Date; expiresAt: Date };

/** draft: never deployed; running: the deployed version serves; failed: the last rollout failed. */
export type DeployPhase = 'draft' | 'deploying' | 'running' | 'failed';

export interface DeployState {
  phase: DeployPhase;
  /** The version the runtime runs or is rolling out. */
  version: number | null;
  /**
   * The version that last became ready: after a failed rollout, the one still serving (what a
   * restarted local runtime brings back). Absent in documents written before it existed.
   */
  servingVersion?: number | null;
  envRevision: number;
  message: string | null;
  /** For a failure: where in the project, when known. */
  file: string | null;
  line: number | null;
  updatedAt: Date;
}

export interface EnvVarDoc {
  name: string;
  /** AES-256-GCM, see services/secrets.ts. */
  value: string;
  updatedAt: Date;
}

export interface AppDoc {
  _id: string;
  ownerId: string;
  name: string;
  nameKey: string;
  description: string;
  /** Fixed at creation; absent on apps made before TypeScript apps existed (they are Python). */
  language?: Language;
  framework: Framework | null;
  createdAt: Date;
  updatedAt: Date;
  lastActivityAt: Date;
  /** Hints for listings; the newest draft and version documents are the truth. */
  draftRevision: number;
  draftHash: string;
  latestVersion: number;
  /** Content hash of the version the app runs (or is rolling out), null before the first deploy. */
  deployedHash: string | null;
  deploy: DeployState;
  env: EnvVarDoc[];
  envRevision: number;
  templateId: string | null;
  /**
   * Which of the owner's databases the app gets as PLATFORM_MONGO_URI. `auto` (and absent): the
   * owner's default database when the code mentions PLATFORM_MONGO_URI, none otherwise.
   */
  database?: AppDatabaseBinding;
  /** Whether the app sleeps now (absent: awake). The gateway and every replica read it here. */
  sleep?: AppSleepState;
  /** The owner's idle timeout for this app, in seconds (absent: the platform's). */
  idleTimeoutSeconds?: number;
  /** Never sleeps: granted by an admin only. */
  alwaysOn?: boolean;
  deletingAt?: Date;
}

export interface AppSleepState {
  state: 'awake' | 'sleeping' | 'waking';
  since: Date;
  /** The last wake's duration, for the dashboard. */
  lastWakeMs?: number;
}

export type AppDatabaseBinding = { mode: 'auto' } | { mode: 'none' } | { mode: 'bound'; databaseId: string };

/** One of a user's databases: a MongoDB database with a user of its own on its tenant's server. */
export interface DatabaseDoc {
  _id: string;
  ownerId: string;
  name: string;
  nameKey: string;
  /** The MongoDB database name, `d_<id>`. */
  dbName: string;
  /** Its own user, `u_<id>`. */
  username: string;
  /** AES-256-GCM, bound to the database id (services/secrets.ts). */
  password: string;
  provider: 'ferretdb' | 'mongodb';
  isDefault: boolean;
  createdAt: Date;
  rotatedAt: Date;
  /** Set while a deletion runs; the database is gone for every reader. */
  deletingAt?: Date;
}

export interface DraftDoc {
  /** `${appId}:${revision}`: saving on a stale revision collides here. */
  _id: string;
  appId: string;
  ownerId: string;
  revision: number;
  files: StoredFile[];
  entrypoint: string;
  contentHash: string;
  createdAt: Date;
}

export interface VersionDoc {
  /** `${appId}:${number}`. */
  _id: string;
  appId: string;
  ownerId: string;
  number: number;
  files: StoredFile[];
  entrypoint: string;
  contentHash: string;
  framework: Framework | null;
  createdAt: Date;
  source: 'deploy' | 'rollback';
  rolledBackFrom: number | null;
}

export interface ExampleDoc {
  title: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string> | undefined;
  body?: unknown;
}

export interface TemplateDoc {
  _id: string;
  /** null for global templates. */
  ownerId: string | null;
  /** The built-in template's name, for seeding. */
  builtin: string | null;
  title: string;
  nameKey: string;
  description: string;
  framework: Framework;
  complexity: 'beginner' | 'intermediate' | 'advanced';
  tags: string[];
  database: boolean;
  entrypoint: string;
  files: StoredFile[];
  examples: ExampleDoc[];
  /** Admin flag: a hidden global template is not offered to anyone. */
  hidden: boolean;
  /** Seeding: the hash of the built-in content last written, and whether an admin changed it since. */
  builtinHash: string | null;
  editedByAdmin: boolean;
  /** A built-in update that seeding did not apply because an admin edited the template. */
  pendingBuiltinHash: string | null;
  /** An admin deleted a built-in: it is not seeded again. */
  deleted: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ValidationLimitsDoc {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export interface SettingsDoc {
  _id: 'platform';
  allowSignups: boolean;
  /** null: the validator's defaults. */
  allowedImports: string[] | null;
  limits: ValidationLimitsDoc;
  maxAppsPerUser: number;
  /** Absent in documents written before databases existed: the default. */
  maxDatabasesPerUser?: number;
  idleTimeoutMinutes?: number;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface IdempotencyDoc {
  /** `${userId}:${key}`. */
  _id: string;
  userId: string;
  appId: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * One entry of a change feed (`<key>:<n>`, exactly one per `n`: the insert serializes writers), or the
 * feed's head hint (`<key>:head`). Replicas follow the feed to keep views coherent (api/services/stamps.ts).
 */
export interface StampDoc {
  _id: string;
  n: number;
  /** What changed (an app or template id); absent on the head hint. */
  changed?: string;
  at: Date;
}

/**
 * One counted event (`<counter>:<n>`) or a counter's head hint (`<counter>:head`), shared by every API
 * replica (rate limits, sign-in failures; api/services/counter.ts), or a sign-in bookkeeping document.
 */
export interface CounterDoc {
  _id: string;
  count: number;
  windowStart: Date;
  lastAt: Date;
  expiresAt: Date;
  /** Sign-in throttle: addresses that signed in to the account (newest first). */
  addresses?: string[];
}

/** A log WebSocket ticket (stored by its hash): one connection to one app, shortly. */
export interface LogTicketDoc {
  _id: string;
  userId: string;
  appId: string;
  expiresAt: Date;
}

export interface LockDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/** Claims a normalized username (`u:<name>`) or email (`e:<email>`) for a user: unique by `_id`. */
export interface NameClaimDoc {
  _id: string;
  userId: string;
  createdAt: Date;
}

