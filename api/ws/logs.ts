/**
 * The log WebSocket: `GET /api/apps/<id>/logs/stream?ticket=…&after=<cursor>`. The ticket (from
 * POST …/logs/ticket) is single-use and short-lived, so no long-lived credential sits in a URL. Lines
 * are sent as JSON; reconnecting with the last cursor resumes without duplicates.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.js';
import { isAppOrigin } from '../middleware/origin-guard.js';
import type { Services } from '../services/index.js';
import type { LogTicketService } from '../services/log-tickets.js';

const streamPath = /^\/api\/apps\/([a-z0-9]{10})\/logs\/stream$/;

function refuse(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: status === 401 ? 'unauthenticated' : 'not_found', message } })}`);
}

export interface LogSocketDeps {
  readonly services: Services;
  readonly tickets: LogTicketService;
  readonly config: Config;
  readonly log: (m: string) => void;
  /** Upgrades someone else answers (the local runtime's proxy, for app hosts). */
  readonly ignore?: (request: IncomingMessage) => boolean;
}

export function attachLogSocket(server: Server, deps: LogSocketDeps): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (deps.ignore?.(request)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = streamPath.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'Not Found');
    const origin = request.headers.origin;
    if (origin && isAppOrigin(origin, deps.config.appDomain)) return refuse(socket, 403, 'Forbidden');
    const appId = match[1] ?? '';
    // The ticket may have been issued by another API replica: it is taken from the database.
    deps.tickets.consume(url.searchParams.get('ticket') ?? '', appId).then((userId) => {
      if (!userId) return refuse(socket, 401, 'A valid ticket is needed');
      wss.handleUpgrade(request, socket, head, (ws) => void stream(ws, appId, userId, url.searchParams.get('after') ?? undefined));
    }, () => refuse(socket, 503, 'Service Unavailable'));
  });

  async function stream(ws: WebSocket, appId: string, userId: string, after: string | undefined): Promise<void> {
    const abort = new AbortController();
    ws.on('close', () => abort.abort());
    try {
      const app = await deps.services.db.apps.findOne({ _id: appId, ownerId: userId });
      if (!app || app.deletingAt) {
        ws.close(4404, 'No such app');
        return;
      }
      ws.send(JSON.stringify({ type: 'connected', appId }));
      for await (const line of deps.services.runtime.logs(appId, { follow: true, tail: 200, signal: abort.signal, ...(after ? { after } : {}) })) {
        if (ws.readyState !== ws.OPEN) break;
        ws.send(JSON.stringify({ type: 'log', ...line }));
      }
      if (ws.readyState === ws.OPEN) ws.close(1000, 'end of log');
    } catch (error) {
      if (!abort.signal.aborted) {
        deps.log(`log stream of ${appId} failed: ${String(error)}`);
        if (ws.readyState === ws.OPEN) ws.close(1011, 'log stream failed');
      }
    }
  }
  return wss;
}
