/**
 * The gateway: every request to an app's host passes here, on both runtimes (in the platform process
 * locally; as its own Deployment on Kubernetes). It sends the request to the app's serving process or
 * Service (AppBackend), wakes an app that sleeps (a browser navigation gets a self-refreshing
 * "starting" page; an API client is held up to `holdMs`, then gets 503 with Retry-After), and records
 * each request outside the app's process: method, path without the query, status, latency, bytes,
 * request id, the version that answered, whether it was cold, and a failed request's traceback as the
 * runner handed it over (TrafficWriter, off the request path). WebSocket upgrades are piped through;
 * the test panel's requests take the same path.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { appHostName } from '../../constructs/index.js';
import { testCall } from '../runtime/test-call.js';
import type { TestRequest, TestResponse } from '../runtime/types.js';
import type { AppBackend, AppOwners, Target, Upstream, Waker } from './backend.js';
import { downstreamHeaders, fromRunner, pathOnly, upstreamHeaders } from './forward.js';
import { sendPage, type ProxyPage } from './pages.js';
import type { RecordedError, TrafficRecord } from './traffic.js';
import type { TrafficWriter } from './traffic-writer.js';

export interface GatewayDeps {
  readonly appDomain: string;
  readonly protocol: 'http' | 'https';
  readonly backend: AppBackend;
  readonly owners: AppOwners;
  readonly traffic: TrafficWriter;
  readonly waker: Waker | null;
  /** How long a request waits for an app that is starting (a deploy, a crash restart). */
  readonly waitMs: number;
  /** How long an API client is held while a sleeping app wakes. */
  readonly holdMs: number;
}

interface Begun {
  readonly id: string;
  readonly startedAt: number;
  readonly ownerId: string;
  cold: boolean;
  wakeMs: number | null;
}

type Outcome = { kind: 'go'; upstream: Upstream } | { kind: 'page'; page: ProxyPage };

function requestId(): string {
  return randomBytes(8).toString('hex');
}

const isNavigation = (req: { method?: string | undefined; headers: IncomingMessage['headers'] }) =>
  (req.method === 'GET' || req.method === 'HEAD') && String(req.headers.accept ?? '').includes('text/html');

function requestTarget(target: Target, path: string | undefined) {
  return 'socketPath' in target ? { socketPath: target.socketPath, path } : { host: target.host, port: target.port, path };
}

export class Gateway {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 1000 });

  constructor(private readonly deps: GatewayDeps) {}

  private notFound(appId: string): ProxyPage {
    return { status: 404, code: 'app_not_found', title: 'No app here', message: `Nothing is deployed at ${appHostName(appId, this.deps.appDomain)}. If you own this app, deploy it from the editor.` };
  }

  private latency(begun: Begun): number {
    return Math.round((performance.now() - begun.startedAt) * 10) / 10;
  }

  private record(appId: string, begun: Begun, req: { method?: string | undefined; url?: string | undefined }, outcome: { status: number; bytes: number; version: number | null; error: RecordedError | null }): void {
    const entry: TrafficRecord = {
      id: begun.id, at: new Date(), method: req.method ?? 'GET', path: pathOnly(req.url), status: outcome.status, latencyMs: this.latency(begun),
      bytes: outcome.bytes, version: outcome.version, coldStart: begun.cold, wakeMs: begun.wakeMs, error: outcome.error,
    };
    this.deps.traffic.record(appId, begun.ownerId, entry);
  }

  /**
   * Where a request goes: the app's upstream (waking it first if it sleeps), or the page to answer
   * with. `navigation` requests of a sleeping app get the "starting" page at once, the wake begun.
   */
  private async route(appId: string, begun: Begun, navigation: boolean): Promise<Outcome> {
    const { waker } = this.deps;
    if (waker && await waker.isSleeping(appId)) {
      const waking = waker.wake(appId);
      waking.catch(() => {});
      if (navigation) {
        return { kind: 'page', page: { status: 503, code: 'app_starting', title: 'Starting…', message: 'This app was asleep and is starting; this page reloads itself.', retryAfter: 1 } };
      }
      const began = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const woke = await Promise.race([
        waking.then(() => true, () => false),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), this.deps.holdMs); }),
      ]);
      clearTimeout(timer);
      begun.cold = true;
      begun.wakeMs = Math.round(performance.now() - began);
      if (!woke) return { kind: 'page', page: { status: 503, code: 'app_starting', title: 'Starting…', message: 'The app is waking up from sleep; try again in a moment.', retryAfter: 2 } };
    }
    waker?.touched(appId);
    let resolution = await this.deps.backend.resolve(appId, this.deps.waitMs);
    // Not back yet after a restart: this request brings it back first (lazily, ahead of the boot pass).
    if (resolution.kind === 'absent' && waker?.restore && await waker.restore(appId).catch(() => false)) {
      begun.cold = true;
      resolution = await this.deps.backend.resolve(appId, this.deps.waitMs);
    }
    if (resolution.kind === 'ready') {
      if (resolution.waitedMs > 50) begun.cold = true;
      return { kind: 'go', upstream: resolution.upstream };
    }
    if (resolution.kind === 'absent') return { kind: 'page', page: this.notFound(appId) };
    if (resolution.kind === 'starting') return { kind: 'page', page: { status: 503, code: 'app_starting', title: 'Starting…', message: resolution.message, retryAfter: 2 } };
    return { kind: 'page', page: { status: 503, code: 'app_unavailable', title: 'This app is not running', message: resolution.message, retryAfter: 5 } };
  }

  private async begin(appId: string): Promise<Begun | null> {
    const ownerId = await this.deps.owners.ownerOf(appId);
    return ownerId ? { id: requestId(), startedAt: performance.now(), ownerId, cold: false, wakeMs: null } : null;
  }

  /** The HTTP request listener for app hosts. */
  handle(appId: string, req: IncomingMessage, res: ServerResponse): void {
    void this.forward(appId, req, res).catch(() => {
      if (!res.headersSent) sendPage(res, req.headers.accept, '-', { status: 502, code: 'app_unavailable', title: 'Bad gateway', message: 'The platform could not reach the app.' });
      else res.destroy();
    });
  }

  private async forward(appId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const begun = await this.begin(appId);
    if (!begun) return sendPage(res, req.headers.accept, requestId(), this.notFound(appId));
    const routed = await this.route(appId, begun, isNavigation(req));
    if (routed.kind === 'page') {
      sendPage(res, req.headers.accept, begun.id, routed.page);
      this.record(appId, begun, req, { status: routed.page.status, bytes: 0, version: null, error: null });
      return;
    }
    let upstream = routed.upstream;
    // A request with no body and a safe method that the app's process never answered (it died under
    // it) is sent once more, to the process that replaces it.
    const retryable = ['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? '') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
    const outcome = { status: 0, bytes: 0, version: null as number | null, error: null as RecordedError | null };
    res.on('close', () => this.record(appId, begun, req, { ...outcome, status: res.headersSent ? res.statusCode : 499 }));
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(upstream, begun.id, req, res, outcome);
      if (result === 'done') return;
      if (attempt === 0 && retryable && !res.headersSent) {
        const next = await this.deps.backend.replacement(appId, upstream, this.deps.waitMs);
        if (next) {
          upstream = next;
          begun.cold = true;
          continue;
        }
      }
      if (res.headersSent) return void res.destroy();
      outcome.error = { type: 'AppUnreachable', message: `the gateway could not reach the app: ${result.message}`, traceback: '', file: null, line: null };
      sendPage(res, req.headers.accept, begun.id, { status: 502, code: 'app_unavailable', title: 'The app did not answer', message: 'The app closed the connection without answering; see its logs.' });
      return;
    }
  }

  /** One try at one upstream: 'done' once the answer is being relayed (or the client left), else the error. */
  private attempt(upstream: Upstream, id: string, req: IncomingMessage, res: ServerResponse, outcome: { bytes: number; version: number | null; error: RecordedError | null }): Promise<'done' | Error> {
    return new Promise((resolve) => {
      const done = upstream.begin();
      let settled = false;
      const settle = (result: 'done' | Error) => {
        if (settled) return;
        settled = true;
        done();
        resolve(result);
      };
      const forwarded = httpRequest({
        ...requestTarget(upstream.target, req.url), method: req.method, agent: this.agent,
        headers: upstreamHeaders(req.headers, { id, host: req.headers.host ?? '', clientIp: req.socket.remoteAddress ?? '', protocol: this.deps.protocol }),
      });
      forwarded.on('response', (answer) => {
        const status = answer.statusCode ?? 502;
        Object.assign(outcome, fromRunner(answer.headers, status));
        res.writeHead(status, downstreamHeaders(answer.headers, id));
        answer.on('data', (chunk: Buffer) => { outcome.bytes += chunk.length; });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        // The old process is retired only once no request is still being relayed from it.
        res.on('close', () => settle('done'));
      });
      forwarded.on('error', (cause) => {
        if (res.headersSent) {
          res.destroy();
          settle('done');
        } else settle(cause);
      });
      res.on('close', () => {
        if (!res.writableFinished) forwarded.destroy();
        settle('done');
      });
      // A retry's request has no body and was read to its end by the first try.
      if (req.readableEnded) forwarded.end();
      else req.pipe(forwarded);
    });
  }

  /** The HTTP server's `upgrade` listener for app hosts (WebSockets). */
  upgrade(appId: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.tunnel(appId, req, socket, head).catch(() => socket.destroy());
  }

  private async tunnel(appId: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const begun = await this.begin(appId);
    const refuse = (page: ProxyPage) => socket.end(`HTTP/1.1 ${page.status} ${page.title}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: page.code, message: page.message } })}`);
    if (!begun) return void refuse(this.notFound(appId));
    const routed = await this.route(appId, begun, false);
    if (routed.kind === 'page') {
      this.record(appId, begun, req, { status: routed.page.status, bytes: 0, version: null, error: null });
      return void refuse(routed.page);
    }
    const { upstream } = routed;
    const done = upstream.begin();
    socket.on('close', done);
    const forwarded = httpRequest({
      ...requestTarget(upstream.target, req.url), method: req.method,
      headers: upstreamHeaders(req.headers, { id: begun.id, host: req.headers.host ?? '', clientIp: req.socket.remoteAddress ?? '', protocol: this.deps.protocol }, true),
    });
    const head101 = (answer: IncomingMessage) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        if (!['x-platform-error', 'x-platform-version'].includes(String(answer.rawHeaders[i]).toLowerCase())) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      }
      return `${lines.join('\r\n')}\r\nX-Platform-Request-Id: ${begun.id}\r\n\r\n`;
    };
    forwarded.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      this.record(appId, begun, req, { status: 101, bytes: 0, ...fromRunner(answer.headers, 101) });
      socket.write(head101(answer));
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('error', () => upstreamSocket.destroy());
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    forwarded.on('response', (answer) => {
      // The app refused the upgrade: pass its answer on and close.
      this.record(appId, begun, req, { status: answer.statusCode ?? 502, bytes: 0, ...fromRunner(answer.headers, answer.statusCode ?? 502) });
      socket.write(head101(answer));
      answer.pipe(socket);
    });
    forwarded.on('error', () => {
      this.record(appId, begun, req, { status: 502, bytes: 0, version: null, error: null });
      socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    });
    forwarded.end();
  }

  /** The test panel: one request to the app, through the same path as any other (it wakes the app too). */
  async send(appId: string, test: TestRequest): Promise<TestResponse | ProxyPage> {
    const begun = await this.begin(appId);
    if (!begun) return this.notFound(appId);
    const req = { method: test.method, url: test.path };
    const routed = await this.route(appId, begun, false);
    if (routed.kind === 'page') {
      this.record(appId, begun, req, { status: routed.page.status, bytes: 0, version: null, error: null });
      return routed.page;
    }
    const { upstream } = routed;
    const host = appHostName(appId, this.deps.appDomain);
    const done = upstream.begin();
    try {
      const answer = await testCall('socketPath' in upstream.target ? { socketPath: upstream.target.socketPath, path: test.path } : `http://${upstream.target.host}:${upstream.target.port}${test.path}`, {
        method: test.method, body: test.body, agent: this.agent,
        headers: upstreamHeaders(test.headers, { id: begun.id, host, clientIp: '127.0.0.1', protocol: this.deps.protocol }),
      });
      const lowered = Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const handed = fromRunner(lowered, answer.status);
      this.record(appId, begun, req, { status: answer.status, bytes: Buffer.byteLength(answer.body), ...handed });
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !['x-platform-error', 'x-platform-version'].includes(k.toLowerCase())));
      return { ...answer, headers: { ...headers, 'x-platform-request-id': begun.id }, latencyMs: this.latency(begun) };
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      this.record(appId, begun, req, { status: 502, bytes: 0, version: null, error: { type: 'AppUnreachable', message, traceback: '', file: null, line: null } });
      return { status: 502, code: 'app_unavailable', title: 'The app did not answer', message: `The app did not answer: ${message}` };
    } finally {
      done();
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
