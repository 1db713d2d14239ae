/**
 * The platform's one HTTP server: requests for an app's host (`app-<id>.<APP_DOMAIN>`) go to the
 * gateway when it runs in this process (the local runtime), everything else to the Koa app (API and
 * UI); WebSocket upgrades split the same way (the log stream vs. apps' own sockets). close() stops accepting, lets requests in
 * flight finish (up to 15 s) and closes the log streams.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformApp } from './app.js';
import type { Config } from './config.js';
import { platformMethods } from './middleware/method-guard.js';
import { appIdOfHost } from '../constructs/index.js';
import type { Gateway } from './gateway/index.js';
import type { Services } from './services/index.js';
import { attachLogSocket } from './ws/logs.js';

export interface PlatformServerDeps {
  readonly app: PlatformApp;
  readonly services: Services;
  readonly config: Config;
  readonly log: (message: string) => void;
  readonly gateway?: Gateway | undefined;
}

export interface PlatformServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createPlatformServer(deps: PlatformServerDeps): PlatformServer {
  const koa = deps.app.koa.callback();
  const { gateway } = deps;
  const appOf = (req: IncomingMessage) => (gateway ? appIdOfHost(req.headers.host, deps.config.appDomain) : null);
  let inFlight = 0;
  // A request must arrive whole within `requestTimeout` (a body trickled a byte at a time is cut off),
  // its headers within `headersTimeout`; an idle kept-alive connection closes after `keepAliveTimeout`.
  // Node checks these every `connectionsCheckingInterval`. Responses may stream for as long as they
  // need (progress, logs), and upgraded sockets leave these timers behind.
  const server = createServer({
    requestTimeout: deps.config.requestTimeoutMs,
    headersTimeout: Math.min(10_000, deps.config.requestTimeoutMs),
    keepAliveTimeout: 5000,
    connectionsCheckingInterval: 1000,
  }, (req, res) => {
    inFlight += 1;
    res.on('close', () => { inFlight -= 1; });
    const appId = appOf(req);
    if (gateway && appId) gateway.handle(appId, req, res);
    else void koa(req, res);
  });
  // CONNECT never reaches a request handler (Node hands the raw socket over): answered here, the same way.
  server.on('connect', (_req, socket) => {
    const body = JSON.stringify({ error: { code: 'method_not_allowed', message: 'The platform does not answer CONNECT; it is not a proxy.', details: { allowed: platformMethods } } });
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nAllow: ${platformMethods.join(', ')}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.on('upgrade', (req, socket, head) => {
    const appId = appOf(req);
    if (gateway && appId) gateway.upgrade(appId, req, socket, head);
  });
  const sockets = attachLogSocket(server, { services: deps.services, tickets: deps.app.tickets, config: deps.config, log: deps.log, ignore: (req) => appOf(req) !== null });

  return {
    server,
    listen: (port, host) => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server.address() as AddressInfo));
    }),
    async close() {
      sockets.clients.forEach((ws) => ws.close(1001, 'server shutting down'));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (let waited = 0; inFlight > 0 && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      server.closeAllConnections();
      await closed;
    },
  };
}
