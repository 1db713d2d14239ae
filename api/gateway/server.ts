/**
 * The HTTP servers of the gateway's own process (Kubernetes; api/gateway-main.ts): app hosts go to
 * the gateway, `/healthz` answers the kubelet's probes, anything else is a 404 in the platform's error
 * shape. The metrics listener (its own port, never routed from outside) serves `/metrics`, which the
 * local platform process can serve too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appIdOfHost } from '../../constructs/index.js';
import type { Gateway } from './gateway.js';
import { prometheusText } from './prometheus.js';
import type { TrafficWriter } from './traffic-writer.js';

export interface ListeningServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function listening(server: Server): ListeningServer {
  return {
    server,
    listen: (port, host) => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server.address() as AddressInfo));
    }),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // In-flight answers get the pod's termination grace; then the rest is cut.
      setTimeout(() => server.closeAllConnections(), 10_000).unref();
    }),
  };
}

const json = (status: number, code: string, message: string) => ({ status, body: JSON.stringify({ error: { code, message } }) });

export function gatewayServer(options: { gateway: Gateway; appDomain: string; ready: () => boolean }): ListeningServer {
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 10_000, requestTimeout: 0 }, (req, res) => {
    const appId = appIdOfHost(req.headers.host, options.appDomain);
    if (appId) return options.gateway.handle(appId, req, res);
    const path = (req.url ?? '/').split('?')[0];
    const answer = path === '/healthz'
      ? (options.ready() ? { status: 200, body: JSON.stringify({ status: 'ok' }) } : json(503, 'starting', 'The gateway is starting.'))
      : json(404, 'not_found', `This is the platform's app gateway: it answers app hosts (app-<id>.${options.appDomain}) only.`);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(answer.body);
  });
  server.on('upgrade', (req, socket, head) => {
    const appId = appIdOfHost(req.headers.host, options.appDomain);
    if (appId) options.gateway.upgrade(appId, req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  return listening(server);
}

export function metricsServer(traffic: TrafficWriter): ListeningServer {
  return listening(createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('only /metrics here\n');
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(prometheusText(traffic.snapshot()));
  }));
}
