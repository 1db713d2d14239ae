/**
 * One route = one declaration. Its name, method, path and who may call it come from the contract's
 * route table (contract/routes.ts), its zod schemas from the table's schemas (contract/schemas/table.ts);
 * the API adds only the handler. The Koa router (router.ts), the OpenAPI document (openapi.ts), the
 * tenant-isolation tests and the typed client all read the same table, so they cannot drift apart.
 */
import type { Context } from 'koa';
import type { z, ZodType } from 'zod';
import { routes, type Auth, type Method, type RouteName } from '../../contract/index.js';
import { routeSchemas, type RouteSchemaTable } from '../../contract/schemas/index.js';
import type { Principal } from '../services/accounts.js';

export type { Auth, Method } from '../../contract/index.js';

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal | null;
  readonly ctx: Context;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  readonly name: RouteName;
  readonly method: Method;
  /** Koa style: /api/apps/:appId */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly auth: Auth;
  readonly params?: ZodType<P>;
  readonly query?: ZodType<Q>;
  readonly body?: ZodType<B>;
  /** Request headers the route reads (documentation only). */
  readonly headers?: ZodType;
  readonly response?: ZodType<R>;
  /** The success status. @default 200 (204 when there is no response schema) */
  readonly status?: number;
  /** Content type of a non-JSON success response (the handler writes ctx.body itself). */
  readonly produces?: string;
  readonly handler: (input: RouteInput<P, Q, B>) => Promise<R>;
}

type Schema<N extends RouteName, K extends string> = RouteSchemaTable[N] extends { readonly [P in K]: infer S extends ZodType } ? S : never;
type Parsed<N extends RouteName, K extends string, Otherwise> = [Schema<N, K>] extends [never] ? Otherwise : z.output<Schema<N, K>>;

/** What the handler of route N receives (parsed params, query and body) and must return (its response, or nothing). */
export type HandlerOf<N extends RouteName> = (
  input: RouteInput<Parsed<N, 'params', Record<string, never>>, Parsed<N, 'query', Record<string, never>>, Parsed<N, 'body', undefined>>,
) => Promise<Parsed<N, 'response', void>>;

/** Binds a handler to the route the contract names `name`; its types are inferred from the route's schemas. */
export function route<N extends RouteName>(name: N, handler: HandlerOf<N>): RouteSpec {
  return { name, ...routes[name], ...routeSchemas[name], handler } as unknown as RouteSpec;
}
