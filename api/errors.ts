/**
 * Domain errors (STYLE.md §8). Services and adapters throw these; they never pick an HTTP status.
 * One error middleware (the API issue) maps each class to a status and the stable JSON shape
 * `{ error: { code, message, details } }`. Every class chains its `cause`.
 */
export interface ErrorOptions {
  readonly cause?: unknown;
  readonly details?: unknown;
}

export abstract class PlatformError extends Error {
  /** A stable machine-readable code, part of the API contract. */
  abstract readonly code: string;
  readonly details: unknown;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
  }
}

/** The caller's input is wrong; the message says what to change. */
export class InputError extends PlatformError {
  readonly code = 'invalid_input';
}

/** The caller is not authenticated. */
export class AuthenticationError extends PlatformError {
  readonly code = 'unauthenticated';
}

/** The caller is authenticated but may not do this. */
export class NotAllowedError extends PlatformError {
  readonly code = 'not_allowed';
}

/** The object does not exist, or belongs to someone else (never told apart). */
export class NotFoundError extends PlatformError {
  readonly code = 'not_found';
}

/** The request conflicts with the current state (a stale revision, a duplicate name). */
export class ConflictError extends PlatformError {
  readonly code = 'conflict';
}

/** A dependency the platform needs (cluster, database) failed or refused the platform itself. */
export class UnavailableError extends PlatformError {
  readonly code = 'unavailable';
}

/** The HTTP method is not one this resource (or the platform) answers; `allowed` lists those it does. */
export class MethodNotAllowedError extends PlatformError {
  readonly code = 'method_not_allowed';
  constructor(message: string, readonly allowed: readonly string[]) {
    super(message, { details: { allowed } });
  }
}

/** The request body is larger than the platform accepts. */
export class PayloadTooLargeError extends PlatformError {
  readonly code = 'payload_too_large';
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends PlatformError {
  readonly code = 'rate_limited';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message, { details: { retryAfterSeconds } });
  }
}
