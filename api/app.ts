/**
 * createApp(deps): the Koa app, middleware in order and routers mounted, nothing else (no I/O).
 * The route table it builds from is returned too: the OpenAPI document and the tenant-isolation tests
 * read the same table.
 */
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.js';
import { buildOpenApi } from './http/openapi.js';
import type { RouteSpec } from './http/route.js';
import { buildRouter } from './http/router.js';
import { uiStatic } from './http/ui-static.js';
import { authenticate } from './middleware/authenticate.js';
import { cors } from './middleware/cors.js';
import { errorHandler } from './middleware/error-handler.js';
import { methodGuard } from './middleware/method-guard.js';
import { originGuard } from './middleware/origin-guard.js';
import { requestId } from './middleware/request-id.js';
import { securityHeaders } from './middleware/security-headers.js';
import { adminRoutes } from './routes/admin.js';
import { appRuntimeRoutes } from './routes/app-runtime.js';
import { appRoutes } from './routes/apps.js';
import { authRoutes } from './routes/auth.js';
import { databaseRoutes } from './routes/databases.js';
import { deviceRoutes } from './routes/device.js';
import { metaRoutes, swaggerUiDir } from './routes/meta.js';
import { templateRoutes } from './routes/templates.js';
import type { Services } from './services/index.js';
import { LogTicketService } from './services/log-tickets.js';

export interface AppDeps {
  readonly config: Config;
  readonly services: Services;
  readonly log: (message: string) => void;
  readonly version?: string;
}

export interface PlatformApp {
  readonly koa: Koa;
  readonly routes: readonly RouteSpec[];
  readonly tickets: LogTicketService;
  openapi(): unknown;
}

const docsAssets: Record<string, string> = {
  '/api/docs/assets/swagger-ui.css': 'text/css',
  '/api/docs/assets/swagger-ui-bundle.js': 'application/javascript',
};

export function createApp(deps: AppDeps): PlatformApp {
  const { config, services } = deps;
  const tickets = new LogTicketService(deps.services.db.logTickets);
  let document: unknown;
  const openapi = () => (document ??= buildOpenApi(routes, deps.version ?? '0.1.0'));
  const routes: RouteSpec[] = [
    ...metaRoutes(services, openapi),
    ...authRoutes(services, config),
    ...deviceRoutes(services),
    ...appRoutes(services),
    ...appRuntimeRoutes(services, tickets),
    ...templateRoutes(services),
    ...databaseRoutes(services),
    ...adminRoutes(services),
  ];
  const router = buildRouter(routes);

  const koa = new Koa();
  koa.proxy = config.trustProxy;
  // Errors Koa sees outside the middleware chain (a connection that failed under a response): a
  // client that went away or a request the server cut off at its timeout is no fault of ours.
  const clientSide = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_HTTP_REQUEST_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']);
  koa.on('error', (error: Error & { code?: string; status?: number }) => {
    if (clientSide.has(error.code ?? '') || (error.status !== undefined && error.status < 500)) return;
    deps.log(`unhandled: ${error.stack ?? String(error)}`);
  });
  koa.use(errorHandler({ log: deps.log }));
  koa.use(requestId());
  koa.use(methodGuard());
  koa.use(securityHeaders({ hsts: config.publicUrl.startsWith('https:') }));
  koa.use(cors({ origins: config.corsOrigins }));
  koa.use(async function healthProbe(ctx, next) {
    // The kubelet's probe path, outside /api so the ingress never exposes it.
    if (ctx.path !== '/healthz') return next();
    await services.db.db.command({ ping: 1 });
    ctx.body = { status: 'ok' };
  });
  koa.use(async function docsStatic(ctx, next) {
    const type = docsAssets[ctx.path];
    if (type) {
      ctx.type = type;
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.body = await readFile(join(swaggerUiDir, ctx.path.split('/').pop() ?? ''));
      return;
    }
    if (ctx.path === '/api/docs/init.js') {
      ctx.type = 'application/javascript';
      ctx.body = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true });\n";
      return;
    }
    await next();
  });
  koa.use(uiStatic());
  koa.use(bodyParser({ jsonLimit: '2mb', enableTypes: ['json'], encoding: 'utf-8' }));
  koa.use(authenticate({ accounts: services.accounts, apiTokens: services.apiTokens, config }));
  koa.use(originGuard({ accounts: services.accounts, config }));
  koa.use(router.routes());
  // Without `throw`, the router sets `Allow`; the error handler turns its 405 into the JSON shape.
  koa.use(router.allowedMethods());
  return { koa, routes, tickets, openapi };
}
