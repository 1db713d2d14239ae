/**
 * Builds the Koa router from the route table: checks who may call each route, parses params, query
 * and body with the route's zod schemas (a failure is an InputError naming each bad field), calls the
 * handler and writes its result as JSON with the route's status.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import { AuthenticationError, InputError, NotAllowedError } from '../errors.js';
import type { Principal } from '../services/accounts.js';
import type { RouteSpec } from './route.js';

export function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw new InputError(`Invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
}

function authorize(spec: RouteSpec, principal: Principal | null): void {
  if (spec.auth === 'public') return;
  if (!principal) throw new AuthenticationError('Sign in first (or send an API token).');
  if (spec.auth === 'admin' && !principal.isAdmin) throw new NotAllowedError('This needs an admin.');
}

/** Query strings arrive as strings; a `?tag=a&tag=b` repeat arrives as an array. */
function queryOf(ctx: Context): Record<string, unknown> {
  return { ...ctx.query };
}

export function buildRouter(routes: readonly RouteSpec[]): Router {
  const router = new Router();
  for (const spec of routes) {
    router[spec.method](spec.path, async (ctx: Context) => {
      const principal = (ctx.state.principal as Principal | null | undefined) ?? null;
      authorize(spec, principal);
      const params = parse(spec.params, ctx.params, 'path');
      const query = parse(spec.query ?? z.object({}).passthrough(), queryOf(ctx), 'query');
      const body = parse(spec.body, (ctx.request as { body?: unknown }).body, 'body');
      const result = await spec.handler({ params, query, body, principal, ctx });
      if (spec.produces) return;
      if (spec.response === undefined) {
        ctx.status = spec.status ?? 204;
        return;
      }
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
  }
  return router;
}
