/**
 * One route = one declaration: method, path, who may call it, zod schemas for params, query, body and
 * response, and a handler. The Koa router (router.ts), the OpenAPI document (openapi.ts) and the
 * tenant-isolation tests all read the same table, so they cannot drift apart.
 */
import type { Context } from 'koa';
import type { ZodType } from 'zod';
import type { Principal } from '../services/accounts.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Auth = 'public' | 'user' | 'admin';

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal | null;
  readonly ctx: Context;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
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

/** Declares a route with its types inferred from the schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, R = void>(spec: RouteSpec<P, Q, B, R>): RouteSpec {
  return spec as unknown as RouteSpec;
}
