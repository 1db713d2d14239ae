/**
 * An app's log from `pods/log`, following the newest pod across a rollout and resumable without
 * duplicates. A line's cursor is `<pod>/<seconds>.<nanoseconds>/<n>`: the kubelet's timestamp and how
 * many lines with that very timestamp came before it. Resuming asks the apiserver from the cursor's
 * second (sinceTime has whole seconds) and drops what the cursor already covers.
 */
import { annotationKeys } from '../../../constructs/index.js';
import { podLogLines, type AppWatch, type KubeClient, type PodJson } from '../../k8s/index.js';
import type { LogLine, LogQuery } from '../types.js';
import { readableLogText } from '../runner-lines.js';

interface Position {
  readonly seconds: number;
  readonly nanos: number;
  readonly n: number;
}

export interface LogDeps {
  readonly client: KubeClient;
  readonly watch: AppWatch;
  readonly namespace: string;
  readonly container: string;
}

/** RFC3339Nano → (seconds, nanoseconds); trailing zeros of the fraction are dropped by the kubelet, so strings do not compare. */
function parseTimestamp(timestamp: string): { seconds: number; nanos: number } | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return null;
  const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
  return Number.isFinite(seconds) ? { seconds, nanos: Number((match[2] ?? '').padEnd(9, '0')) } : null;
}

/** The most lines a reader resuming into another pod gets at once (the local runtime keeps as many). */
const resumeLimit = 5000;

function parseCursor(cursor: string): { pod: string; position: Position } | null {
  const match = /^([a-z0-9-]{1,253})\/(\d+)\.(\d{9})\/(\d+)$/.exec(cursor);
  if (!match) return null;
  return { pod: match[1] ?? '', position: { seconds: Number(match[2]), nanos: Number(match[3]), n: Number(match[4]) } };
}

function started(pod: PodJson): boolean {
  return (pod.status?.containerStatuses ?? []).some((c) => c.state?.running || c.state?.terminated || c.lastState?.terminated);
}

const created = (pod: PodJson) => pod.metadata.creationTimestamp ?? '';

/** The app's pods whose container has started (only those have logs), oldest first. */
function podsWithLogs(deps: LogDeps, appId: string): PodJson[] {
  return deps.watch.workload(appId).pods.filter(started).sort((a, b) => created(a).localeCompare(created(b)));
}

function versionOf(deps: LogDeps, appId: string, pod: PodJson): number | null {
  const owner = pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
  const rs = deps.watch.workload(appId).replicaSets.find((r) => r.metadata.name === owner);
  const version = Number(rs?.metadata.annotations?.[annotationKeys.version]);
  return Number.isInteger(version) && version > 0 ? version : null;
}

/** Lines of one pod after `resume` (exclusive), each with its cursor. */
async function* podLines(deps: LogDeps, appId: string, pod: PodJson, options: { follow: boolean; resume: Position | null; tail?: number; since?: Date; signal: AbortSignal }): AsyncGenerator<LogLine> {
  const { resume } = options;
  const sinceTime = resume ? new Date(resume.seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : options.since?.toISOString().replace(/\.\d+Z$/, 'Z');
  const version = versionOf(deps, appId, pod);
  let previous: { seconds: number; nanos: number } | null = null;
  let n = 0;
  for await (const line of podLogLines(deps.client, deps.namespace, pod.metadata.name, deps.container, {
    follow: options.follow, signal: options.signal,
    ...(sinceTime ? { sinceTime } : {}), ...(!resume && options.tail !== undefined ? { tailLines: options.tail } : {}),
  })) {
    const at = parseTimestamp(line.timestamp);
    if (!at) continue;
    n = previous && previous.seconds === at.seconds && previous.nanos === at.nanos ? n + 1 : 1;
    previous = at;
    if (resume && (at.seconds < resume.seconds || (at.seconds === resume.seconds && (at.nanos < resume.nanos || (at.nanos === resume.nanos && n <= resume.n))))) continue;
    yield {
      cursor: `${pod.metadata.name}/${at.seconds}.${String(at.nanos).padStart(9, '0')}/${n}`,
      at: new Date(at.seconds * 1000 + Math.floor(at.nanos / 1e6)).toISOString(),
      // pods/log interleaves stdout and stderr and does not say which a line came from, so neither is claimed.
      // A runner's failure line keeps its one cursor: its sentence and traceback become one multi-line entry.
      stream: null, text: readableLogText(line.text), version,
    };
  }
}

/** Resolves when the app's watched objects change, or the signal aborts. */
function changed(deps: LogDeps, appId: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = deps.watch.onChange((id) => { if (id === appId) done(); });
    const done = () => { stop(); signal.removeEventListener('abort', done); resolve(); };
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function* appLogs(deps: LogDeps, appId: string, query: LogQuery): AsyncGenerator<LogLine> {
  const outer = query.signal ?? new AbortController().signal;
  const cursor = query.after ? parseCursor(query.after) : null;
  let pods = podsWithLogs(deps, appId);
  // A cursor's pod, when it still exists; otherwise the newest pod (everything in it is newer).
  let pod = (cursor && pods.find((p) => p.metadata.name === cursor.pod)) || pods.at(-1);
  let resume = cursor && pod?.metadata.name === cursor.pod ? cursor.position : null;
  // After a cursor in a pod still there, everything after it (no tail). A cursor whose pod is gone
  // leads to a newer pod whose lines are all new: up to as many as the local runtime keeps. Without a
  // cursor, or with one that is not a cursor, the newest lines asked for.
  const tail = resume ? undefined : cursor ? resumeLimit : query.tail ?? 200;
  const since = query.since ? { since: query.since } : {};
  if (!query.follow) {
    if (pod) yield* podLines(deps, appId, pod, { follow: false, resume, ...(tail === undefined ? {} : { tail }), ...since, signal: outer });
    return;
  }
  let first = true;
  while (!outer.aborted) {
    if (!pod) {
      await changed(deps, appId, outer);
      pods = podsWithLogs(deps, appId);
      pod = pods.at(-1);
      continue;
    }
    const current: PodJson = pod;
    // A newer pod that starts (a rollout) takes over the stream from its first line.
    const switching = new AbortController();
    const onAbort = () => switching.abort();
    outer.addEventListener('abort', onAbort, { once: true });
    const stop = deps.watch.onChange((id) => {
      if (id === appId && podsWithLogs(deps, appId).some((p) => created(p) > created(current))) switching.abort();
    });
    try {
      const head = first && tail !== undefined ? { tail, ...since } : {};
      for await (const line of podLines(deps, appId, current, { follow: true, resume, ...head, signal: switching.signal })) {
        yield line;
        resume = parseCursor(line.cursor)?.position ?? resume;
      }
    } catch (error) {
      // The pod went away under the stream; the next one (if any) is picked below.
      if (!switching.signal.aborted && deps.watch.workload(appId).pods.some((p) => p.metadata.name === current.metadata.name)) throw error;
    } finally {
      stop();
      outer.removeEventListener('abort', onAbort);
    }
    first = false;
    const newer = podsWithLogs(deps, appId).filter((p) => created(p) > created(current));
    if (newer.length > 0) {
      pod = newer.at(-1);
      resume = null;
    } else if (!deps.watch.workload(appId).pods.some((p) => p.metadata.name === current.metadata.name)) {
      pod = undefined;
    } else {
      // The stream ended but the pod is still there (a restart, a closed connection): resume it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
