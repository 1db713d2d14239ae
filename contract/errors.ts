/**
 * Every failure of a call to the API, as an ApiError whose message is a sentence a person can act on
 * (never "[object Object]"): the API's own `{ error: { code, message, details } }`, or a sentence for
 * whatever a proxy or the network did instead. Field problems from the API's validation are kept, so
 * forms can show each next to its field and the CLI can name the flag.
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
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/** The API's `{ error: { code, message, details } }`, or whatever a proxy answered instead (status 0: no answer). */
export function toApiError(status: number, body: unknown, cause?: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const issues = (error?.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues ?? [];
  const fields = issues
    .filter((i) => typeof i.message === 'string')
    .map((i) => ({ field: String(i.path ?? '').replace(/^body\.?/, ''), message: String(i.message) }));
  if (typeof error?.message === 'string') return new ApiError(sentence(error.message), status, String(error.code ?? 'error'), error.details, fields);
  if (status === 0) return new ApiError('The platform could not be reached; check your connection and try again.', 0, 'network', null, [], { cause });
  return new ApiError(`The platform answered ${status} unexpectedly; try again in a moment.`, status, 'unexpected', body);
}
