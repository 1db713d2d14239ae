/**
 * A kubelet's log endpoint for the test bed, so `pods/log` takes the apiserver's real proxy path: the
 * apiserver reads the pod's Node, connects over TLS to `https://127.0.0.1:<kubeletPort>` (verifying this
 * server's certificate against the bed CA and presenting its own kubelet client certificate) and GETs
 * `/containerLogs/<namespace>/<pod>/<container>?<params>`.
 *
 * The behaviour follows kubelet v1.32: pkg/kubelet/server/server.go `getContainerLogs` (query decoding
 * and validation, the 404s for unknown pods and containers), kubelet_pods.go `validateContainerLogStatus`
 * (the 400s while a container has no logs to give) and k8s.io/cri-client pkg/logs `ReadLogs` (tailLines,
 * sinceTime/sinceSeconds, limitBytes, fixed nine-digit RFC3339Nano timestamps, follow). The container
 * runtime is one in-memory log per container, appended to with `write()`; no previous instances are kept.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.js';
import { issueCert } from '../bed/certs.js';
import { kubeBed, uniqueName } from './bed.js';
import { registerNode } from './fake-node.js';
import { KubeRest, type KubeObject } from './kube-rest.js';

export interface FakeKubelet {
  readonly port: number;
  readonly nodeName: string;
  /** Appends a line to a container's log (as the container runtime would), timestamped `at` (default now). */
  write(namespace: string, pod: string, container: string, line: string, at?: Date): void;
  /** How many log requests arrived, with their query parameters (for tests that check follow/sinceTime/tailLines). */
  readonly requests: { path: string; query: Record<string, string> }[];
  close(): Promise<void>;
}

interface Entry {
  readonly at: Date;
  readonly text: string;
}

/** One container's log as the runtime keeps it: lines in write order, plus the requests following it. */
interface ContainerLog {
  readonly entries: Entry[];
  readonly followers: Set<(entry: Entry) => void>;
}

interface LogOptions {
  readonly follow: boolean;
  readonly timestamps: boolean;
  readonly previous: boolean;
  /** Lines from the end of the log to start at; -1 for all. */
  readonly tail: number;
  /** -1 for no limit. */
  readonly limitBytes: number;
  /** Epoch milliseconds; lines stamped earlier are left out. */
  readonly since: number;
}

/** An answer the kubelet gives instead of logs: its status code and plain-text body. */
class KubeletError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'KubeletError';
  }
}

/** Go's %q for the names that appear here (DNS labels), as in the kubelet's messages. */
const q = (value: string): string => JSON.stringify(value);

/** cri-client's timeFormatOut, RFC3339NanoFixed: always nine fractional digits. */
export function kubeletTimestamp(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/**
 * Issues a serving cert from the bed CA (IP SAN 127.0.0.1), starts the server on a free port, registers
 * the Node (registerNode with kubeletPort), and tears everything down via t.teardown.
 *
 * A container's state comes from its pod's status in the apiserver, which tests write as the kubelet
 * would (setPodStatus): waiting and terminated-without-id containers get the kubelet's 400 messages. A
 * container with no status there counts as running once `write()` has been called for it, so simple
 * tests need not write a status.
 */
export async function startFakeKubelet(t: { teardown(fn: () => Promise<void> | void): void }, nodeName = uniqueName('fake-kubelet')): Promise<FakeKubelet> {
  const bed = kubeBed();
  const rest = KubeRest.admin();
  const dir = await mkdtemp(join(tmpdir(), 'fake-kubelet-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const serving = await issueCert({ cert: bed.caFile, key: bed.caKeyFile }, dir, 'kubelet', { cn: `system:node:${nodeName}`, org: 'system:nodes', sans: ['IP:127.0.0.1'] });
  const [cert, key, ca] = await Promise.all([readFile(serving.cert), readFile(serving.key), readFile(bed.caFile)]);

  const logs = new Map<string, ContainerLog>();
  const logOf = (namespace: string, pod: string, container: string): ContainerLog => {
    const id = `${namespace}/${pod}/${container}`;
    let log = logs.get(id);
    if (!log) logs.set(id, log = { entries: [], followers: new Set() });
    return log;
  };
  const requests: FakeKubelet['requests'] = [];
  const openStreams = new Set<() => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const [namespace, podName, container] = match.slice(1).map(decodeURIComponent) as [string, string, string];
    const options = parseLogOptions(url.searchParams, Date.now());
    const pod = await rest.call<KubeObject & Record<string, any>>('GET', `/api/v1/namespaces/${namespace}/pods/${podName}`);
    if (pod.status !== 200 || pod.body.spec?.nodeName !== nodeName) throw new KubeletError(404, `pod ${q(podName)} does not exist`);
    const spec = pod.body.spec as Record<string, { name: string }[] | undefined>;
    const containers = [...spec.containers ?? [], ...spec.initContainers ?? [], ...spec.ephemeralContainers ?? []];
    if (!containers.some((c) => c.name === container)) throw new KubeletError(404, `container ${q(container)} not found in pod ${q(podName)}`);
    const log = logOf(namespace, podName, container);
    checkContainerStatus(podName, pod.body.status ?? {}, container, options.previous, log.entries.length > 0);
    streamLog(log, options, res, openStreams);
  };

  const server = createServer({ cert, key, ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof KubeletError ? error.status : 500;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(error instanceof Error ? error.message : String(error));
    });
  });
  const port = await freePort();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const end of openStreams) end();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    })();
    return closing;
  };
  t.teardown(async () => {
    await close();
    await rest.call('DELETE', `/api/v1/nodes/${nodeName}`);
  });
  await registerNode(rest, nodeName, { kubeletPort: port });

  return {
    port,
    nodeName,
    requests,
    close,
    write(namespace, pod, container, line, at = new Date()) {
      const log = logOf(namespace, pod, container);
      // The runtime splits output at newlines; each piece is one CRI log line.
      for (const text of line.replace(/\n$/, '').split('\n')) {
        const entry = { at, text };
        log.entries.push(entry);
        for (const follower of log.followers) follower(entry);
      }
    },
  };
}

/** The kubelet's query decoding (v1.PodLogOptions) and validation, then cri-client's NewLogOptions. */
function parseLogOptions(query: URLSearchParams, now: number): LogOptions {
  const undecodable = new KubeletError(400, '{"message": "Unable to decode query."}');
  const int = (name: string): number | undefined => {
    const value = query.get(name);
    if (!value) return undefined;
    if (!/^[+-]?\d+$/.test(value)) throw undecodable;
    return Number(value);
  };
  // Go's query conversion: any value but "0" or "false" is true.
  const bool = (name: string): boolean => {
    const value = query.get(name);
    return value !== null && value !== '0' && value.toLowerCase() !== 'false';
  };
  // Backwards compatibility for `tail`, where "all" means no limit.
  const tail = query.get('tail');
  if (tail) {
    if (tail === 'all') query.delete('tailLines');
    else query.set('tailLines', tail);
  }
  const tailLines = int('tailLines');
  const limitBytes = int('limitBytes');
  const sinceSeconds = int('sinceSeconds');
  const sinceTimeText = query.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceTimeText) {
    sinceTime = Date.parse(sinceTimeText);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTimeText) || Number.isNaN(sinceTime)) throw undecodable;
  }
  const invalid = (tailLines !== undefined && tailLines < 0) || (limitBytes !== undefined && limitBytes < 1)
    || (sinceSeconds !== undefined && (sinceTime !== undefined || sinceSeconds < 1));
  if (invalid) throw new KubeletError(422, '{"message": "Invalid request."}');
  const stream = query.get('stream');
  if (stream && stream !== 'All') {
    throw new KubeletError(400, `unable to return the given log stream: ${q(stream)}. Please enable PodLogsQuerySplitStreams feature gate in kubelet`);
  }
  let since = -Infinity;
  if (sinceSeconds !== undefined) since = now - sinceSeconds * 1000;
  if (sinceTime !== undefined && sinceTime > since) since = sinceTime;
  return {
    follow: bool('follow'),
    timestamps: bool('timestamps'),
    previous: bool('previous'),
    tail: tailLines ?? -1,
    limitBytes: limitBytes ?? -1,
    since,
  };
}

interface ContainerStatus {
  name: string;
  containerID?: string;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { containerID?: string } };
  lastState?: { terminated?: { containerID?: string } };
}

/** The kubelet's validateContainerLogStatus, over the pod status in the apiserver. */
function checkContainerStatus(pod: string, status: Record<string, ContainerStatus[] | undefined>, container: string, previous: boolean, hasLog: boolean): void {
  const statuses = [...status.containerStatuses ?? [], ...status.initContainerStatuses ?? [], ...status.ephemeralContainerStatuses ?? []];
  const found = statuses.find((s) => s.name === container);
  const name = `${q(container)} in pod ${q(pod)}`;
  // This runtime keeps no previous instances, so there is never a previous log to give.
  if (previous) throw new KubeletError(400, `previous terminated container ${name} not found`);
  if (!found) {
    if (hasLog) return;
    throw new KubeletError(400, `container ${name} is not available`);
  }
  const { waiting, running, terminated } = found.state ?? {};
  const lastTerminated = found.lastState?.terminated;
  if (running) return;
  if (terminated || lastTerminated) {
    if (terminated?.containerID || lastTerminated?.containerID) return;
    throw new KubeletError(400, `container ${name} is terminated`);
  }
  if (waiting) {
    const reason = waiting.reason ?? '';
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw new KubeletError(400, `container ${name} is waiting to start: ${why}`);
  }
  throw new KubeletError(400, `container ${name} is waiting to start - no logs yet`);
}

/** cri-client's ReadLogs over the in-memory log: tail, then since and limitBytes per line, then follow. */
function streamLog(log: ContainerLog, options: LogOptions, res: ServerResponse, openStreams: Set<() => void>): void {
  // The kubelet flushes its headers with a zero-byte write before reading the log.
  res.writeHead(200);
  res.flushHeaders();
  let remain = options.limitBytes >= 0 ? options.limitBytes : Infinity;
  /** Writes one line; false once limitBytes is used up. */
  const emit = (entry: Entry): boolean => {
    if (entry.at.getTime() < options.since) return true;
    let line = Buffer.from(`${options.timestamps ? `${kubeletTimestamp(entry.at)} ` : ''}${entry.text}\n`);
    if (line.length > remain) line = line.subarray(0, remain);
    res.write(line);
    remain -= line.length;
    return remain > 0;
  };
  const start = options.tail >= 0 ? Math.max(0, log.entries.length - options.tail) : 0;
  for (const entry of log.entries.slice(start)) {
    if (!emit(entry)) {
      res.end();
      return;
    }
  }
  if (!options.follow) {
    res.end();
    return;
  }
  const end = (): void => {
    log.followers.delete(follow);
    openStreams.delete(end);
    if (!res.writableEnded) res.end();
  };
  const follow = (entry: Entry): void => {
    if (!emit(entry)) end();
  };
  log.followers.add(follow);
  openStreams.add(end);
  res.on('close', end);
}
