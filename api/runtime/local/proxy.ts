/**
 * The local runtime's edge: `app-<id>.<APP_DOMAIN>` → the app's serving runner, on its Unix socket. Every
 * request gets a fresh `X-Platform-Request-Id` (a client's own is dropped, so a traceback can only be
 * attached to the request it came from), the X-Forwarded-* headers are set here and never taken from
 * the client, and each request is recorded (method, path without its query, status, latency) outside
 * the app's process. WebSocket upgrades are piped through. The test panel's requests take the same path.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestRecord } from '../../db/documents.js';
import { testCall } from '../test-call.js';
import type { TestRequest, TestResponse } from '../types.js';
import { sendPage, type ProxyPage } from './pages.js';
import type { RequestRecorder } from './request-recorder.js';
import type { AppSupervisor, Serving } from './supervisor.js';

export interface ProxyDeps {
  readonly appDomain: string;
  readonly protocol: 'http' | 'https';
  readonly supervisor: (appId: string) => AppSupervisor | undefined;
  readonly recorder: RequestRecorder;
  readonly url: (appId: string) => string;
  /** How long a request waits for an app that is starting before it gets the "starting" page. */
  readonly waitMs: number;
}

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
const clientMayNotSet = /^(x-forwarded-|x-platform-|x-real-ip$|forwarded$)/;

type RecordBase = Pick<RequestRecord, 'id' | 'at' | 'method' | 'path' | 'error'>;
type Begun = { id: string; startedAt: number; base: RecordBase }
  & ({ supervisor: AppSupervisor; target: { serving: Serving; waited: boolean } } | { supervisor: AppSupervisor | undefined; page: ProxyPage });

function requestId(): string {
  return randomBytes(8).toString('hex');
}

/** The headers the app receives: the client's own minus hop-by-hop and forwarding ones, plus ours. */
function upstreamHeaders(headers: IncomingHttpHeaders, extra: { id: string; host: string; clientIp: string; protocol: string }, upgrade = false): OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || named.has(name) || clientMayNotSet.test(name)) continue;
    out[name] = value;
  }
  if (upgrade) {
    out.connection = 'upgrade';
    out.upgrade = headers.upgrade ?? 'websocket';
  }
  out.host = extra.host;
  out['x-forwarded-for'] = extra.clientIp;
  out['x-forwarded-proto'] = extra.protocol;
  out['x-forwarded-host'] = extra.host;
  out['x-platform-request-id'] = extra.id;
  return out;
}

function downstreamHeaders(headers: IncomingHttpHeaders, id: string): OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name) && !named.has(name)) out[name] = value;
  }
  out['x-platform-request-id'] = id;
  return out;
}

function pathOnly(url: string | undefined): string {
  return (url ?? '/').split('?')[0]?.slice(0, 512) || '/';
}

export class AppProxy {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });
  private readonly hostPattern: RegExp;

  constructor(private readonly deps: ProxyDeps) {
    const domain = deps.appDomain.replace(/\./g, '\\.');
    this.hostPattern = new RegExp(`^app-([a-z0-9]{10})\\.${domain}(?::\\d+)?$`);
  }

  /** The app a Host header names, or null when it is not an app's host (the platform's own). */
  appIdOf(host: string | undefined): string | null {
    return this.hostPattern.exec((host ?? '').toLowerCase())?.[1] ?? null;
  }

  private unavailable(appId: string, supervisor: AppSupervisor | undefined): ProxyPage {
    if (!supervisor) {
      return { status: 404, code: 'app_not_found', title: 'No app here', message: `Nothing is deployed at app-${appId}. If you own this app, deploy it from the editor.` };
    }
    const status = supervisor.status(this.deps.url(appId));
    if (status.phase === 'deploying' || status.message?.includes('restarting')) {
      return { status: 503, code: 'app_starting', title: 'Starting…', message: status.message ?? 'The app is starting.', retryAfter: 2 };
    }
    return { status: 503, code: 'app_unavailable', title: 'This app is not running', message: status.message ?? 'The app is not running.', retryAfter: 5 };
  }

  private record(appId: string, supervisor: AppSupervisor, entry: Omit<RequestRecord, 'latencyMs'>, startedAt: number): void {
    this.deps.recorder.record(appId, supervisor.app.ownerId, { ...entry, latencyMs: Math.round((performance.now() - startedAt) * 10) / 10 });
  }

  /** A new request's id and record base, and where it goes: the serving process, or the page to answer with. */
  private async begin(appId: string, method: string, url: string | undefined): Promise<Begun> {
    const id = requestId();
    const startedAt = performance.now();
    const base = { id, at: new Date(), method, path: pathOnly(url), error: null };
    const supervisor = this.deps.supervisor(appId);
    const target = supervisor ? await supervisor.target(this.deps.waitMs) : null;
    if (supervisor && target) return { id, startedAt, base, supervisor, target };
    return { id, startedAt, base, supervisor, page: this.unavailable(appId, supervisor) };
  }

  /** The HTTP request listener for app hosts. */
  handle(appId: string, req: IncomingMessage, res: ServerResponse): void {
    void this.forward(appId, req, res).catch(() => {
      if (!res.headersSent) sendPage(res, req.headers.accept, '-', { status: 502, code: 'app_unavailable', title: 'Bad gateway', message: 'The platform could not reach the app.' });
      else res.destroy();
    });
  }

  private async forward(appId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const begun = await this.begin(appId, req.method ?? 'GET', req.url);
    const { id, startedAt, base } = begun;
    if ('page' in begun) {
      sendPage(res, req.headers.accept, id, begun.page);
      if (begun.supervisor) this.record(appId, begun.supervisor, { ...base, status: begun.page.status, coldStart: false }, startedAt);
      return;
    }
    const { supervisor } = begun;
    let target = begun.target;
    // Without a body and with a safe method, a request the app's process never answered (it died
    // under it) is sent once more, to the process that replaces it.
    const retryable = ['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? '') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
    let error: RequestRecord['error'] = null;
    let coldStart = target.waited;
    res.on('close', () => this.record(appId, supervisor, { ...base, status: res.headersSent ? res.statusCode : 499, error, coldStart }, startedAt));
    for (let attempt = 0; ; attempt++) {
      const serving: Serving = target.serving;
      const outcome = await this.attempt(serving, id, req, res);
      if (outcome === 'done') return;
      if (attempt === 0 && retryable && !res.headersSent) {
        await Promise.race([serving.runner.exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
        const next = await supervisor.target(this.deps.waitMs);
        if (next && next.serving !== serving) {
          target = next;
          coldStart = true;
          continue;
        }
      }
      if (res.headersSent) return void res.destroy();
      error = { type: 'AppUnreachable', message: `the proxy could not reach the app: ${outcome.message}`, traceback: '', file: null, line: null };
      sendPage(res, req.headers.accept, id, { status: 502, code: 'app_unavailable', title: 'The app did not answer', message: 'The app closed the connection without answering; see its logs.' });
      return;
    }
  }

  /** One try at one process: 'done' once the answer is being relayed (or the client left), else the error. */
  private attempt(serving: Serving, id: string, req: IncomingMessage, res: ServerResponse): Promise<'done' | Error> {
    return new Promise((resolve) => {
      serving.inflight += 1;
      let settled = false;
      const settle = (outcome: 'done' | Error) => {
        if (settled) return;
        settled = true;
        serving.inflight -= 1;
        resolve(outcome);
      };
      const upstream = httpRequest({
        socketPath: serving.runner.socketPath, method: req.method, path: req.url, agent: this.agent,
        headers: upstreamHeaders(req.headers, { id, host: req.headers.host ?? '', clientIp: req.socket.remoteAddress ?? '', protocol: this.deps.protocol }),
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, downstreamHeaders(answer.headers, id));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        // The old process is retired only once no request is still being relayed from it.
        res.on('close', () => settle('done'));
      });
      upstream.on('error', (cause) => {
        if (res.headersSent) {
          res.destroy();
          settle('done');
        } else settle(cause);
      });
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
        settle('done');
      });
      // A retry's request has no body and was read to its end by the first try.
      if (req.readableEnded) upstream.end();
      else req.pipe(upstream);
    });
  }

  /** The HTTP server's `upgrade` listener for app hosts (WebSockets). */
  upgrade(appId: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.tunnel(appId, req, socket, head).catch(() => socket.destroy());
  }

  private async tunnel(appId: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const begun = await this.begin(appId, req.method ?? 'GET', req.url);
    if ('page' in begun) {
      const { page } = begun;
      socket.end(`HTTP/1.1 ${page.status} ${page.title}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: page.code, message: page.message } })}`);
      return;
    }
    const { id, startedAt, base, supervisor, target } = begun;
    const serving = target.serving;
    serving.inflight += 1;
    socket.on('close', () => { serving.inflight -= 1; });
    const upstream = httpRequest({
      socketPath: serving.runner.socketPath, method: req.method, path: req.url,
      headers: upstreamHeaders(req.headers, { id, host: req.headers.host ?? '', clientIp: req.socket.remoteAddress ?? '', protocol: this.deps.protocol }, true),
    });
    const head101 = (answer: IncomingMessage) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      return `${lines.join('\r\n')}\r\nX-Platform-Request-Id: ${id}\r\n\r\n`;
    };
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      this.record(appId, supervisor, { ...base, status: 101, coldStart: target.waited }, startedAt);
      socket.write(head101(answer));
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('error', () => upstreamSocket.destroy());
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    upstream.on('response', (answer) => {
      // The app refused the upgrade: pass its answer on and close.
      this.record(appId, supervisor, { ...base, status: answer.statusCode ?? 502, coldStart: target.waited }, startedAt);
      socket.write(head101(answer));
      answer.pipe(socket);
    });
    upstream.on('error', () => {
      this.record(appId, supervisor, { ...base, status: 502, coldStart: target.waited }, startedAt);
      socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    });
    upstream.end();
  }

  /** The test panel: one request to the app, recorded like any other; the body is cut at 1 MiB. */
  async send(appId: string, test: TestRequest): Promise<TestResponse | ProxyPage> {
    const begun = await this.begin(appId, test.method, test.path);
    if ('page' in begun) return begun.page;
    const { id, startedAt, supervisor, target } = begun;
    const serving = target.serving;
    const host = new URL(this.deps.url(appId)).host;
    serving.inflight += 1;
    const base = { ...begun.base, coldStart: target.waited };
    try {
      const answer = await testCall({ socketPath: serving.runner.socketPath, path: test.path }, {
        method: test.method, body: test.body, agent: this.agent,
        headers: upstreamHeaders(test.headers, { id, host, clientIp: '127.0.0.1', protocol: this.deps.protocol }),
      });
      this.record(appId, supervisor, { ...base, status: answer.status, error: null }, startedAt);
      return { ...answer, headers: { ...answer.headers, 'x-platform-request-id': id }, latencyMs: Math.round((performance.now() - startedAt) * 10) / 10 };
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      this.record(appId, supervisor, { ...base, status: 502, error: { type: 'AppUnreachable', message, traceback: '', file: null, line: null } }, startedAt);
      return { status: 502, code: 'app_unavailable', title: 'The app did not answer', message: `The app did not answer: ${message}` };
    } finally {
      serving.inflight -= 1;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
