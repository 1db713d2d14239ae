/**
 * The runtime interface: what the API needs from wherever apps run. The local runtime (supervised
 * runner processes behind the platform's proxy) and the Kubernetes runtime (server-side-applied
 * constructs) implement it; the API's routes call nothing else.
 */
import type { ManifestObject } from '../../constructs/index.js';
import type { StoredFile } from '../db/documents.js';
import type { FailureReason, ProgressPhase } from '../../contract/index.js';

// The rollout vocabulary is shared by every runtime and every client.
export { failureReasons, progressPhases, type FailureReason, type ProgressPhase } from '../../contract/index.js';

export interface RuntimeApp {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
}

export interface RuntimeVersion {
  readonly number: number;
  readonly files: readonly StoredFile[];
  readonly entrypoint: string;
  readonly contentHash: string;
}

export interface ProgressEvent {
  readonly phase: ProgressPhase;
  readonly version: number;
  readonly at: string;
  readonly message: string;
  readonly failure?: {
    readonly reason: FailureReason;
    readonly message: string;
    /** Where in the project, when the runner reported it. */
    readonly file: string | null;
    readonly line: number | null;
  };
}

export interface RuntimeStatus {
  readonly phase: 'absent' | 'deploying' | 'ready' | 'failed' | 'sleeping';
  /** The version serving traffic (during a rollout, still the old one). */
  readonly servingVersion: number | null;
  /** The version being rolled out or last attempted. */
  readonly targetVersion: number | null;
  readonly url: string;
  readonly message: string | null;
}

export interface RuntimeEvent {
  readonly at: string;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly object: string | null;
}

export interface LogLine {
  /** Monotonic per app: resume after the last one seen, without duplicates. */
  readonly cursor: string;
  readonly at: string;
  /** Which output the line came from, when the runtime knows (Kubernetes' pods/log does not say). */
  readonly stream: 'stdout' | 'stderr' | null;
  readonly text: string;
  readonly version: number | null;
}

export interface LogQuery {
  readonly follow: boolean;
  /** Only lines after this cursor (from a previous line). */
  readonly after?: string;
  /** Only lines at or after this time. */
  readonly since?: Date;
  /** At most this many of the newest lines before following. */
  readonly tail?: number;
  readonly signal?: AbortSignal;
}

export interface TestRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly truncated: boolean;
  readonly latencyMs: number;
}

/** What should run for one app, from the platform's records: the input of reconciliation. */
export interface DesiredApp {
  readonly app: RuntimeApp;
  /** The version last handed to the runtime (being rolled out, running, or failed). */
  readonly version: RuntimeVersion;
  /** The version that last became ready, when the newest one failed (null: none, or the same). */
  readonly servingVersion: RuntimeVersion | null;
  readonly env: Readonly<Record<string, string>>;
  /** The recorded state: a rollout in flight, or a failed one. */
  readonly phase: 'deploying' | 'running' | 'failed';
  /** The app sleeps: converging keeps it asleep (nothing runs until a wake). */
  readonly sleeping?: boolean;
}

export interface Runtime {
  readonly kind: 'local' | 'kubernetes' | 'none';
  /** Hands the version and env to the runtime; resolves once the rollout has started (not when ready). */
  deploy(app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>): Promise<void>;
  /** Removes everything the app runs; resolves when it no longer serves. */
  remove(appId: string): Promise<void>;
  status(appId: string): Promise<RuntimeStatus>;
  /** The current rollout's events from its start, then live ones; ends after ready or failed. */
  /**
   * The current rollout's events. `version`: the one the records say is being deployed; a runtime
   * shared by several API replicas (Kubernetes) waits a moment for that rollout when another replica
   * started it.
   */
  progress(appId: string, signal?: AbortSignal, version?: number): AsyncIterable<ProgressEvent>;
  events(appId: string, limit: number): Promise<RuntimeEvent[]>;
  logs(appId: string, query: LogQuery): AsyncIterable<LogLine>;
  /** The objects the Kubernetes runtime applies (or would) for this version and env. */
  manifests(app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>): ManifestObject[];
  /**
   * Makes what runs match `desired` for one app (idempotent; after a restart, or periodically to
   * undo drift): the Kubernetes runtime re-applies its objects, the local runtime starts it if it is
   * not running. Resolves once converging has begun, like `deploy`.
   */
  ensure(desired: DesiredApp): Promise<void>;
  /**
   * Whether what the app's last `ensure` put in place is all still there, unchanged (a runtime that
   * watches what it applied can tell without a request); absent: it cannot tell, so every pass ensures.
   */
  unchanged?(appId: string): boolean;
  /** Stops what the app runs (it is idle); its version and env stay, so `wake` brings it back. */
  sleep(appId: string): Promise<void>;
  /**
   * Runs a sleeping app again; resolves once it serves (rejects when it cannot). `desired` gives its
   * records when the runtime needs them (locally, to restart the runner; Kubernetes kept the objects).
   */
  wake(appId: string, desired: () => Promise<DesiredApp | null>): Promise<void>;
  /** The apps the runtime has anything of (objects, processes), desired or not. */
  appIds(): Promise<string[]>;
  /** The test panel: one request to this app only. */
  request(appId: string, request: TestRequest): Promise<TestResponse>;
  /** Where the app answers. */
  url(appId: string): string;
  close(): Promise<void>;
}
