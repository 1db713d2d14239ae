/**
 * The test panel's one HTTP exchange with an app, shared by the runtimes: node:http (fetch would drop
 * the app's Host header, which apps and their routing see), 30 s at most, the body cut at 1 MiB.
 */
import { request as httpRequest, type Agent, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const testBodyLimit = 1024 * 1024;
/** Headers about the connection to the app, not the app's answer. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

export interface TestAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly truncated: boolean;
}

/** Where the request goes: an http:// URL, or a Unix socket and the request's path. */
export type TestTarget = string | { readonly socketPath: string; readonly path: string };

export async function testCall(target: TestTarget, init: { method: string; headers: OutgoingHttpHeaders; body?: string | undefined; agent?: Agent }): Promise<TestAnswer> {
  const url = typeof target === 'string' ? new URL(target) : undefined;
  const secure = url?.protocol === 'https:';
  const where = url
    ? { host: url.hostname, port: url.port || (secure ? 443 : 80), path: `${url.pathname}${url.search}` }
    : target as Exclude<TestTarget, string>;
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    const host = typeof init.headers.host === 'string' ? init.headers.host.replace(/:\d+$/, '') : url?.hostname;
    const upstream = (secure ? httpsRequest : httpRequest)({
      ...where, method: init.method, headers: init.headers, timeout: 30_000,
      // Over TLS the certificate is the app host's (an ingress serves many hosts on one address).
      ...(secure && host ? { servername: host } : {}),
      ...(init.agent ? { agent: init.agent } : {}),
    }, resolve);
    upstream.on('timeout', () => upstream.destroy(new Error('the app did not answer within 30 s')));
    upstream.on('error', reject);
    upstream.end(init.body);
  });
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of answer as AsyncIterable<Buffer>) {
    if (size + chunk.length > testBodyLimit) {
      chunks.push(chunk.subarray(0, testBodyLimit - size));
      truncated = true;
      answer.destroy();
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  const headers = Object.fromEntries(Object.entries(answer.headers)
    .filter(([k]) => !hopByHop.has(k))
    .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
  return { status: answer.statusCode ?? 502, headers, body: Buffer.concat(chunks).toString('utf8'), truncated };
}
