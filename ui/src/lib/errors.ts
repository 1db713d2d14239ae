/** Failures as the sentence the UI shows: the API's own (ApiError carries it) or the browser's. */
import { ApiError } from '../http/client';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Loading one app's screen failed: another user's app reads the same as one that does not exist. */
export function appLoadError(error: unknown): string {
  return error instanceof ApiError && error.status === 404 ? 'There is no app at this address, or it is not yours.' : errorMessage(error);
}
