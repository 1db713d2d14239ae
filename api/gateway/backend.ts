/**
 * What the gateway needs from a runtime to reach an app: where its serving process (or Service)
 * listens now, waiting a while for one that is starting; and, after a process died under a request, its
 * replacement. The local runtime answers from its supervisors (a Unix socket per runner); the
 * Kubernetes runtime with the app's Service.
 */
export type Target = { readonly socketPath: string } | { readonly host: string; readonly port: number };

export interface Upstream {
  readonly target: Target;
  /** Marks a request as going through it; the returned function marks it done (the local runtime retires a process only when none is). */
  begin(): () => void;
  /** Resolves when the process behind it is gone (null: not known, as with a Service). */
  readonly gone: Promise<unknown> | null;
}

export type Resolution =
  | { readonly kind: 'ready'; readonly upstream: Upstream; readonly waitedMs: number }
  /** Nothing of the app runs and nothing is coming (never deployed, deleted). */
  | { readonly kind: 'absent' }
  | { readonly kind: 'starting'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string };

export interface AppBackend {
  /** Where a request to the app goes now, waiting up to `waitMs` for an app that is starting. */
  resolve(appId: string, waitMs: number): Promise<Resolution>;
  /** The process that replaces one that died under a request, if one serves within `waitMs`. */
  replacement(appId: string, failed: Upstream, waitMs: number): Promise<Upstream | null>;
}

/** Who owns an app the gateway was asked for (null: no such app, or being deleted). */
export interface AppOwners {
  ownerOf(appId: string): Promise<string | null>;
}

/** Sleep and wake, as the gateway sees them (services/sleep.ts). */
export interface Waker {
  isSleeping(appId: string): Promise<boolean>;
  /** Wakes the app (one wake per app, however many callers); resolves once it serves. */
  wake(appId: string): Promise<void>;
  /** A request reached the app: it is in use. */
  touched(appId: string): void;
  /**
   * The runtime has nothing of the app, yet its records say it is deployed (a restarted platform
   * that has not brought it back yet): starts it now. True when the app should now resolve.
   */
  restore?(appId: string): Promise<boolean>;
}
