/**
 * The UI's instance of the shared typed client (contract/client.ts): same-origin fetch with the session
 * cookies and the CSRF token on unsafe requests. Every failure is an ApiError whose message is the
 * server's sentence. The API's shapes are re-exported as types, inferred from the contract's schemas.
 */
import { createClient, followProgress as follow, type ProgressEvent } from '../../../contract/index.js';

export { ApiError, type FieldProblem } from '../../../contract/index.js';
export type * from '../../../contract/index.js';

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export const api = createClient({
  credentials: 'same-origin',
  headers: (unsafe): Record<string, string> => (unsafe && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
});

/** Follows an app's rollout progress stream until it ends or `signal` aborts. */
export function followProgress(appId: string, onEvent: (event: ProgressEvent) => void, signal: AbortSignal): Promise<void> {
  return follow(api, appId, onEvent, signal);
}
