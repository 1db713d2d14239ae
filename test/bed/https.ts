/** A minimal HTTPS client for the bed's own readiness checks, trusting only the bed's CA. */
import { request } from 'node:https';

export interface BedResponse {
  readonly status: number;
  readonly body: string;
}

export function httpsRequest(
  url: string,
  options: { ca: string; token?: string; method?: string; body?: string; contentType?: string },
): Promise<BedResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.contentType) headers['content-type'] = options.contentType;
    const req = request(url, { method: options.method ?? 'GET', ca: options.ca, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
