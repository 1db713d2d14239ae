/**
 * The bed has no kubelet and no scheduler, so nothing records the Events they would about a pod.
 * Tests that need them post them from fixtures in test/fixtures/events, whose reasons, messages and
 * fields are what kubelet and kube-scheduler 1.32 write, named and timestamped the way their
 * recorders do it: `<pod>.<hex nanoseconds>`, first/lastTimestamp spread over the fixture's `count`
 * (kubelet, core/v1 recorder), eventTime in microseconds (scheduler, events.k8s.io recorder).
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeObject, KubeRest } from './kube-rest.js';

const fixtureDir = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

/** How far apart a repeated event's occurrences are taken to be. */
const repeatMs = 10_000;

interface EventFixture {
  event: { count?: number; involvedObject: { name: string }; [field: string]: unknown };
}

/** The values a pod's event fixtures need, read from the pod as the apiserver returned it. */
export function podEventValues(pod: KubeObject): Record<string, string> {
  const spec = pod.spec as { nodeName?: string; containers: { name: string; image: string }[] };
  const status = pod.status as { podIP?: string } | undefined;
  const container = spec.containers[0];
  return {
    pod: pod.metadata.name,
    podUID: pod.metadata.uid ?? '',
    podResourceVersion: pod.metadata.resourceVersion ?? '',
    container: container?.name ?? 'runner',
    image: container?.image ?? 'image',
    ...(spec.nodeName ? { node: spec.nodeName } : {}),
    ...(status?.podIP ? { podIP: status.podIP } : {}),
  };
}

/**
 * Posts an event fixture to `namespace`, its placeholders filled (JSON-escaped) from `values`, and
 * returns the created Event. Throws unless the apiserver answers 201.
 */
export async function createEventFixture(rest: KubeRest, namespace: string, fixture: string, values: Record<string, string>): Promise<KubeObject> {
  const text = readFileSync(`${fixtureDir}${fixture}.json`, 'utf8');
  const count = (JSON.parse(text) as EventFixture).event.count ?? 1;
  const now = Date.now();
  const all: Record<string, string> = {
    firstTimestamp: seconds(now - (count - 1) * repeatMs),
    lastTimestamp: seconds(now),
    eventTime: microseconds(now),
    ...values,
    namespace,
  };
  const filled = text.replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = all[key];
    if (value === undefined) throw new Error(`event fixture ${fixture} needs a value for \${${key}}`);
    return JSON.stringify(value).slice(1, -1);
  });
  const { event } = JSON.parse(filled) as EventFixture;
  // As client-go's makeEvent names it: the involved object's name and the time in hex nanoseconds.
  const nanos = BigInt(now) * 1_000_000n + BigInt(randomInt(1_000_000));
  const body = { ...event, metadata: { name: `${event.involvedObject.name}.${nanos.toString(16)}`, namespace } };
  const res = await rest.call<KubeObject>('POST', `/api/v1/namespaces/${namespace}/events`, body);
  if (res.status !== 201) throw new Error(`creating event ${fixture} in ${namespace} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** metav1.Time: RFC 3339 in whole seconds. */
function seconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
function microseconds(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, `${String(randomInt(1000)).padStart(3, '0')}Z`);
}
