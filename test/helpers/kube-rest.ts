/**
 * A deliberately small REST client for the bed's apiserver, used by tests to check what api/k8s did
 * without going through api/k8s or @kubernetes/client-node themselves.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { kubeBed } from './bed.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    ownerReferences?: { kind: string; name: string }[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface RestResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export class KubeRest {
  private readonly ca: string;

  constructor(
    readonly server: string,
    caFile: string,
    private readonly token: string,
  ) {
    this.ca = readFileSync(caFile, 'utf8');
  }

  static admin(): KubeRest {
    const bed = kubeBed();
    return new KubeRest(bed.server, bed.caFile, bed.adminToken);
  }

  withToken(token: string): KubeRest {
    return new KubeRest(this.server, kubeBed().caFile, token);
  }

  call<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<RestResponse<T>> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = contentType;
        // Measured: a chunked DELETE body leaves the kept-alive connection unusable (the apiserver
        // answers the next request on it with a bare "400 Bad Request"), so send a length.
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const req = request(`${this.server}${path}`, { method, ca: this.ca, headers, timeout: 15_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Plain-text bodies (logs, some errors) stay strings.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** GET that must succeed; returns the object. */
  async get<T = KubeObject>(path: string): Promise<T> {
    const res = await this.call<T>('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${JSON.stringify(res.body).slice(0, 400)}`);
    return res.body;
  }

  async list(path: string, labelSelector?: string): Promise<KubeObject[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const res = await this.get<{ items: KubeObject[] }>(`${path}${query}`);
    return res.items;
  }

  /** Creates a namespace for one test file and deletes it when the test ends. */
  async namespace(t: { teardown(fn: () => Promise<void>): void }, name: string, labels: Record<string, string> = {}): Promise<string> {
    const res = await this.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    if (res.status !== 201) throw new Error(`creating namespace ${name} → ${res.status}: ${JSON.stringify(res.body)}`);
    t.teardown(async () => {
      await this.call('DELETE', `/api/v1/namespaces/${name}`);
    });
    return name;
  }
}

/** Polls until `check` returns a value (not undefined), or throws `what` after the deadline. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
