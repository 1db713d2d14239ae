/**
 * Turns @kubernetes/client-node failures into domain errors. The apiserver's Status arrives as a raw
 * JSON string in ApiException.body; its reason, message and causes become the error's details.
 * 404 and 409 are expected answers and map to NotFound/Conflict; 422 means the platform built an
 * object the cluster refuses, 401/403 that the cluster refuses the platform's own identity, and a
 * network failure or 5xx that the cluster is unavailable — none of those is the user's mistake.
 */
import * as k8s from '@kubernetes/client-node';
import { ConflictError, NotFoundError, PlatformError, UnavailableError } from '../errors.js';

export interface KubeStatus {
  readonly reason?: string;
  readonly message?: string;
  readonly code?: number;
  readonly details?: { readonly causes?: readonly { readonly field?: string; readonly message?: string; readonly reason?: string }[] };
}

export function kubeStatus(error: unknown): KubeStatus | undefined {
  if (!(error instanceof k8s.ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null) return body as KubeStatus;
  try {
    return JSON.parse(String(body)) as KubeStatus;
  } catch {
    return { code: error.code, message: String(body).slice(0, 500) };
  }
}

export function kubeCode(error: unknown): number | undefined {
  return error instanceof k8s.ApiException ? error.code : undefined;
}

/** Maps a failure of `what` (e.g. "apply Deployment app-x") to a domain error; rethrows our own errors. */
export function toDomainError(error: unknown, what: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const status = kubeStatus(error);
  const code = kubeCode(error);
  const details = status ? { reason: status.reason, causes: status.details?.causes } : undefined;
  const message = status?.message ?? (error instanceof Error ? error.message : String(error));
  switch (code) {
    case 404:
      return new NotFoundError(`${what}: ${message}`, { cause: error, details });
    case 409:
      return new ConflictError(`${what}: ${message}`, { cause: error, details });
    case 401:
    case 403:
      return new UnavailableError(`${what}: the cluster refused the platform's credentials (${message})`, { cause: error, details });
    case 422:
      return new UnavailableError(`${what}: the cluster rejected an object the platform built (${message})`, { cause: error, details });
    default:
      return new UnavailableError(`${what}: the cluster is unavailable (${message})`, { cause: error, details });
  }
}
