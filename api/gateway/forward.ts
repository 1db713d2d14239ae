/**
 * The headers on either side of the gateway. Upstream, the app gets the client's own headers minus
 * hop-by-hop and forwarding ones, plus the gateway's: `X-Forwarded-*` it sets itself (never taken from
 * the client) and a fresh `X-Platform-Request-Id`. Downstream, the client gets the app's headers minus
 * hop-by-hop ones and minus what the runner hands the gateway alone: `X-Platform-Error` (a failed
 * request's traceback, base64 JSON) and `X-Platform-Version` (which version answered).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { RecordedError } from './traffic.js';

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
const clientMayNotSet = /^(x-forwarded-|x-platform-|x-real-ip$|forwarded$)/;
/** Response headers meant for the gateway only. */
export const runnerToGateway = ['x-platform-error', 'x-platform-version'];

function connectionNamed(headers: IncomingHttpHeaders): Set<string> {
  return new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()));
}

export function upstreamHeaders(headers: IncomingHttpHeaders, extra: { id: string; host: string; clientIp: string; protocol: string }, upgrade = false): OutgoingHttpHeaders {
  const named = connectionNamed(headers);
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

export function downstreamHeaders(headers: IncomingHttpHeaders, id: string): OutgoingHttpHeaders {
  const named = connectionNamed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name) && !named.has(name) && !runnerToGateway.includes(name)) out[name] = value;
  }
  out['x-platform-request-id'] = id;
  return out;
}

/** What the runner handed over with a response: the version that answered, a failed request's error. */
export function fromRunner(headers: IncomingHttpHeaders, status: number): { version: number | null; error: RecordedError | null } {
  const versionText = headers['x-platform-version'];
  const version = typeof versionText === 'string' && /^\d+$/.test(versionText) ? Number(versionText) : null;
  let error: RecordedError | null = null;
  const encoded = headers['x-platform-error'];
  // Only a failed request carries one: a traceback on a success would be the app's own invention.
  if (typeof encoded === 'string' && status >= 500) {
    try {
      const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Partial<RecordedError>;
      const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');
      error = {
        type: text(parsed.type, 200), message: text(parsed.message, 2000), traceback: text(parsed.traceback, 16_000),
        file: typeof parsed.file === 'string' ? parsed.file.slice(0, 500) : null, line: typeof parsed.line === 'number' ? parsed.line : null,
      };
    } catch {
      error = null;
    }
  }
  return { version, error };
}

export function pathOnly(url: string | undefined): string {
  return (url ?? '/').split('?')[0]?.slice(0, 512) || '/';
}
