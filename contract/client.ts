/**
 * The one typed client of the API, for the UI and the CLI. Each route of the table (routes.ts) is a
 * method taking `{ params, query, body, headers }` and resolving to the route's response, with the
 * types inferred from the route's zod schemas (imported as types only: no zod at run time). Every
 * failure is an ApiError carrying the API's sentence.
 *
 * @example
 *   const api = createClient({ baseUrl: 'https://platform.example.com', headers: () => ({ authorization: `Bearer ${token}` }) });
 *   const { apps } = await api.listApps({ query: { search: 'todo' } });
 */
import type { z, ZodType } from 'zod';
import { ApiError, toApiError } from './errors.js';
import { pathOf, routes, type RouteName } from './routes.js';
import type { RouteSchemaTable } from './schemas/table.js';

type Schema<N extends RouteName, K extends string> = RouteSchemaTable[N] extends { readonly [P in K]: infer S extends ZodType } ? S : never;
type Has<N extends RouteName, K extends string> = [Schema<N, K>] extends [never] ? false : true;

/** What a call of route N takes: its path params and body when it has them, and optionally its query and headers. */
export type RequestOf<N extends RouteName> =
  & (Has<N, 'params'> extends true ? { readonly params: z.input<Schema<N, 'params'>> } : { readonly params?: undefined })
  & (Has<N, 'query'> extends true ? { readonly query?: z.input<Schema<N, 'query'>> } : { readonly query?: undefined })
  & (Has<N, 'body'> extends true ? { readonly body: z.input<Schema<N, 'body'>> } : { readonly body?: undefined })
  & (Has<N, 'headers'> extends true ? { readonly headers?: Partial<z.input<Schema<N, 'headers'>>> } : { readonly headers?: undefined });

/** What a call of route N resolves to (undefined for a 204). */
export type ResponseOf<N extends RouteName> = Has<N, 'response'> extends true ? z.output<Schema<N, 'response'>> : undefined;

type Call<N extends RouteName> = Record<string, never> extends RequestOf<N>
  ? (input?: RequestOf<N>, signal?: AbortSignal) => Promise<ResponseOf<N>>
  : (input: RequestOf<N>, signal?: AbortSignal) => Promise<ResponseOf<N>>;

export type Client = { readonly [N in RouteName]: Call<N> } & {
  /** The route's URL (base URL, filled path, query string), for links and streams. */
  url<N extends RouteName>(name: N, input?: Pick<RequestOf<N>, 'params' | 'query'>): string;
  /** The raw response of a route that is not JSON (server-sent events); a failure still throws ApiError. */
  stream<N extends RouteName>(name: N, input: RequestOf<N>, signal?: AbortSignal): Promise<Response>;
  readonly baseUrl: string;
};

export interface ClientOptions {
  /** Where the API is; '' for the page's own origin. @default '' */
  readonly baseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** The browser's cookie policy. @default - fetch's default */
  readonly credentials?: RequestInit['credentials'];
  /** Headers for each request: a bearer token, a user agent; `unsafe` is true for methods that change state (CSRF). @default - none */
  readonly headers?: (unsafe: boolean) => Record<string, string>;
  /** Called once when a request is answered 401; resolve true to send it again (after refreshing a token). @default - no retry */
  readonly onUnauthorized?: () => Promise<boolean>;
  /** Abort a request that has not answered by then. @default - no time limit */
  readonly timeoutMs?: number;
}

type AnyRequest = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, unknown> };

function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createClient(options: ClientOptions = {}): Client {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => globalThis.fetch(input, init));

  const url = (name: RouteName, input: AnyRequest = {}) =>
    `${baseUrl}${pathOf(name, input.params as Record<string, string | number> | undefined)}${queryString(input.query)}`;

  async function send(name: RouteName, input: AnyRequest, signal: AbortSignal | undefined, accept: string, retried = false): Promise<Response> {
    const method = routes[name].method.toUpperCase();
    const unsafe = method !== 'GET';
    const headers: Record<string, string> = {
      accept,
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers?.(unsafe),
      ...Object.fromEntries(Object.entries(input.headers ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
    };
    const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    let res: Response;
    try {
      res = await doFetch(url(name, input), {
        method, headers,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
        ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout?.aborted) throw new ApiError(`The platform did not answer within ${Math.round((options.timeoutMs ?? 0) / 1000)} s; try again.`, 0, 'timeout', null, [], { cause: error });
      // No answer at all: say where it was going (the CLI names the platform it could not reach).
      throw new ApiError(toApiError(0, null).message, 0, 'network', { url: baseUrl || null }, [], { cause: error });
    }
    if (res.status === 401 && !retried && options.onUnauthorized && routes[name].auth !== 'public' && (await options.onUnauthorized())) {
      await res.body?.cancel();
      return send(name, input, signal, accept, true);
    }
    if (!res.ok) throw toApiError(res.status, await readJson(res));
    return res;
  }

  async function readJson(res: Response): Promise<unknown> {
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return text;
    }
  }

  const client: Record<string, unknown> = {
    baseUrl,
    url: (name: RouteName, input?: AnyRequest) => url(name, input),
    stream: (name: RouteName, input: AnyRequest, signal?: AbortSignal) => send(name, input ?? {}, signal, '*/*'),
  };
  for (const name of Object.keys(routes) as RouteName[]) {
    client[name] = async (input: AnyRequest = {}, signal?: AbortSignal) => readJson(await send(name, input, signal, 'application/json'));
  }
  return client as Client;
}
