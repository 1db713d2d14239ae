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

export async function testCall(url: string, init: { method: string; headers: OutgoingHttpHeaders; body?: string | undefined; agent?: Agent }): Promise<TestAnswer> {
  const target = new URL(url);
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    const secure = target.protocol === 'https:';
    const host = typeof init.headers.host === 'string' ? init.headers.host.replace(/:\d+$/, '') : target.hostname;
    const upstream = (secure ? httpsRequest : httpRequest)({
      host: target.hostname, port: target.port || (secure ? 443 : 80), method: init.method, path: `${target.pathname}${target.search}`, headers: init.headers, timeout: 30_000,
      // Over TLS the certificate is the app host's (an ingress serves many hosts on one address).
      ...(secure ? { servername: host } : {}),
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
