/**
 * The HTTP server in front of the user's app (served through @hono/node-server's request listener):
 * - the reserved probe path /_platform/health answers 200 (the server listens only once the app
 *   imported), echoing FP_INSTANCE in X-Platform-Instance; every other path, /health included, is the
 *   user's, apart from the image's browser assets under /_platform/assets/;
 * - the project's static/ folder at /static (files.ts);
 * - an exception escaping the app becomes a 500 (when nothing was sent yet) and one `request-exception`
 *   line with the stack, source-mapped to the .ts files and tagged with X-Platform-Request-Id; a Hono
 *   app's own onError still answers, the runner only records; the same error travels with the response
 *   as base64 JSON in X-Platform-Error, and every answer of the app names its version in
 *   X-Platform-Version (FP_APP_VERSION), both for the platform's gateway, which strips them;
 * - X-Forwarded-Proto from trusted proxies (FORWARDED_ALLOW_IPS) makes the request URL https.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { errorHeader, healthPath, instanceHeader, requestIdHeader, versionHeader } from './config.js';
import { emit } from './events.js';
import { errorParts, formatTraceback, locateStack } from './failure.js';
import { createFileServer } from './files.js';
import type { LoadedApp } from './loader.js';

type ErrorHandler = (error: unknown, context: { req: { raw: Request }; env: unknown }) => Response | Promise<Response>;

export interface PlatformServerOptions {
  readonly loaded: LoadedApp;
  readonly codeDir: string;
  readonly instance: string;
  /** FP_APP_VERSION, or empty. */
  readonly version?: string;
  readonly forwardedAllowIps: string;
}

/** What the gateway keeps of a failed request: bounded, so the header stays well inside Node's 16 KiB. */
function errorHeaderValue(error: { type: string; message: string; file: string | null; line: number | null; traceback: string }): string {
  const bounded = { ...error, type: error.type.slice(0, 200), message: error.message.slice(0, 2000), traceback: error.traceback.slice(-8000) };
  return Buffer.from(JSON.stringify(bounded), 'utf8').toString('base64');
}

/** @hono/node-server's env: the Node response, where the error header goes before the 500 is written. */
function outgoingOf(env: unknown): ServerResponse | null {
  const outgoing = (env as { outgoing?: unknown } | null)?.outgoing;
  return outgoing && typeof (outgoing as ServerResponse).setHeader === 'function' ? outgoing as ServerResponse : null;
}

/** FORWARDED_ALLOW_IPS: "*", addresses, or IPv4 networks in CIDR notation. */
export function trustedProxies(spec: string): (address: string | undefined) => boolean {
  const items = spec.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.includes('*')) return () => true;
  const toNumber = (ip: string) => ip.split('.').reduce((n, octet) => (n << 8) + Number(octet), 0) >>> 0;
  const checks = items.map((item) => {
    const [base = '', bits] = item.split('/');
    if (isIP(base) === 4 && bits !== undefined) {
      const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
      return (ip: string) => isIP(ip) === 4 && (toNumber(ip) & mask) === (toNumber(base) & mask);
    }
    return (ip: string) => ip === base;
  });
  return (address) => {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    return checks.some((check) => check(plain));
  };
}

function requestFacts(request: Request): { request_id: string | null; method: string; path: string } {
  return { request_id: request.headers.get(requestIdHeader), method: request.method, path: new URL(request.url).pathname };
}

/** An HTTPException below 500 (hono's 401s, 404s …) is an answer, not a failure. */
function isClientError(error: unknown): boolean {
  const getResponse = (error as { getResponse?: unknown } | null)?.getResponse;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof getResponse === 'function' && typeof status === 'number' && status < 500;
}

export async function createPlatformServer(options: PlatformServerOptions, defaultHonoErrorHandler: unknown): Promise<Server> {
  // Loaded once the app is: apps that fail to import never pay for it.
  const { getRequestListener } = await import('@hono/node-server');
  const { loaded, codeDir } = options;
  const record = (error: unknown, request: Request, env: unknown) => {
    const { type, message, stack } = errorParts(error);
    const place = locateStack(stack, codeDir);
    const traceback = formatTraceback(error, codeDir);
    emit('request-exception', {
      source: 'app', ...requestFacts(request), type, message, file: place.file, line: place.line, column: place.column, traceback,
    });
    // The traceback travels to the gateway with the 500 itself, so request records never depend on the logs.
    const outgoing = outgoingOf(env);
    if (outgoing && !outgoing.headersSent) outgoing.setHeader(errorHeader, errorHeaderValue({ type, message, file: place.file, line: place.line, traceback }));
  };
  const internalError = () => new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });

  let appRoutesStatic = false;
  if (loaded.framework === 'hono') {
    const app = loaded.app as unknown as { errorHandler: ErrorHandler; routes: { path: string }[] };
    appRoutesStatic = app.routes.some((route) => route.path.startsWith('/static'));
    const original = app.errorHandler;
    const usesDefault = original === defaultHonoErrorHandler;
    app.errorHandler = (error, context) => {
      if (isClientError(error)) return original(error, context);
      record(error, context.req.raw, context.env);
      // Hono's default handler would also print the stack; the request-exception line carries it.
      return usesDefault ? internalError() : original(error, context);
    };
  }
  const fetch = async (request: Request, env: unknown): Promise<Response> => {
    try {
      return await loaded.app.fetch(request, env);
    } catch (error) {
      record(error, request, env);
      return internalError();
    }
  };
  const listener = getRequestListener(fetch);
  const files = createFileServer(codeDir, appRoutesStatic);
  const trusted = trustedProxies(options.forwardedAllowIps);
  const instance = options.instance ? { [instanceHeader]: options.instance } : {};
  const version = options.version && /^\d+$/.test(options.version) ? options.version : null;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === healthPath) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 15, 'cache-control': 'no-store', ...instance }).end('{"status":"ok"}');
      return;
    }
    // Node merges headers set here into the app's writeHead: every answer but the probe's names the version.
    if (version) res.setHeader(versionHeader, version);
    if (files.serve(req, res, path)) return;
    // A Unix socket's peer has no address; FORWARDED_ALLOW_IPS is "*" there (config.ts).
    if (trusted(req.socket.remoteAddress)) {
      const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim();
      const host = req.headers.host;
      if (proto === 'https' && host && req.url?.startsWith('/')) req.url = `https://${host}${req.url}`;
    }
    void listener(req, res);
  };
  return createServer({ requestTimeout: 0 }, handle);
}
