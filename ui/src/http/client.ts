/**
 * The UI's one way to the API: same-origin fetch with the session cookies, the CSRF token on unsafe
 * requests, JSON in and out, and every failure turned into an ApiError whose message is a sentence a
 * person can act on (never "[object Object]"). Field problems from the API's validation are kept, so
 * forms can show each next to its field.
 */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: unknown,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/** The API's `{ error: { code, message, details } }`, or whatever a proxy answered instead. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const issues = (error?.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues ?? [];
  const fields = issues
    .filter((i) => typeof i.message === 'string')
    .map((i) => ({ field: String(i.path ?? '').replace(/^body\.?/, ''), message: String(i.message) }));
  if (typeof error?.message === 'string') return new ApiError(sentence(error.message), status, String(error.code ?? 'error'), error.details, fields);
  if (status === 0) return new ApiError('The platform could not be reached; check your connection and try again.', 0, 'network', null);
  return new ApiError(`The platform answered ${status} unexpectedly; try again in a moment.`, status, 'unexpected', body);
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const unsafe = !['GET', 'HEAD'].includes(method);
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(unsafe && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw toApiError(0, null);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) throw toApiError(res.status, parsed);
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) => api<T>('POST', path, body ?? {}, headers);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
