/**
 * The pod-status and event fixtures are valid API objects: the bed's apiserver accepts each one, written
 * the way the kubelet or the scheduler would, about a pod shaped like a user app's runner in a
 * restricted namespace, and reading it back shows the fields tests and the platform rely on, the
 * runner's JSON termination message intact.
 */
import test, { type ExecutionContext } from 'ava';
import { podSecurityLabels, synthUserApp } from '../../constructs/index.js';
import { uniqueName } from '../helpers/bed.js';
import { createEventFixture, podEventValues } from '../helpers/fake-events.js';
import { bindPod, podStatusFixture, registerNode } from '../helpers/fake-node.js';
import { KubeRest, type KubeObject } from '../helpers/kube-rest.js';
import { sampleApp } from '../helpers/sample-app.js';

const image = 'fastapi-platform/runner:0.1.0';
/** The one line the runner writes to /dev/termination-log when the user's module fails to import. */
const terminationMessage = `${JSON.stringify({ fp: 'start-failed', type: 'KeyError', message: "'TOKEN'", file: 'app.py', line: 4, phase: 'import' })}\n`;

interface RunnerPod {
  readonly admin: KubeRest;
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  /** The pod as the apiserver returns it now. */
  read(): Promise<KubeObject & Record<string, any>>;
}

/** A restricted namespace holding one pod with the runner Deployment's pod template, bound to a node unless `scheduled` is false. */
async function runnerPod(t: ExecutionContext, prefix: string, scheduled = true): Promise<RunnerPod> {
  const admin = KubeRest.admin();
  const namespace = await admin.namespace(t, uniqueName(prefix), { ...podSecurityLabels });
  const deployment = synthUserApp(sampleApp({ namespace, image })).objects.find((o) => o.kind === 'Deployment') as any;
  const template = deployment.spec.template;
  const created = await admin.call<KubeObject>('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    // Named the way the ReplicaSet names its pods.
    metadata: { ...template.metadata, generateName: `app-abc123-${prefix}-` },
    spec: template.spec,
  });
  if (created.status !== 201) throw new Error(`creating the runner pod → ${created.status}: ${JSON.stringify(created.body)}`);
  const name = created.body.metadata.name;
  const node = `node-${namespace}`;
  if (scheduled) {
    await registerNode(admin, node);
    t.teardown(async () => { await admin.call('DELETE', `/api/v1/nodes/${node}`); });
    await bindPod(admin, namespace, name, node);
  }
  return { admin, namespace, name, node, read: () => admin.get(`/api/v1/namespaces/${namespace}/pods/${name}`) };
}

/** PATCHes pods/status with a fixture as the kubelet does (merge patch) and returns the answer's status code. */
async function writeStatus(pod: RunnerPod, fixture: string, extra: Record<string, string> = {}): Promise<number> {
  const status = podStatusFixture(fixture, await pod.read(), extra);
  const res = await pod.admin.call('PATCH', `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/status`, { status }, 'application/merge-patch+json');
  return res.status;
}

/** Posts an event fixture about the pod and reads the Event back from the apiserver. */
async function recordEvent(pod: RunnerPod, fixture: string, extra: Record<string, string> = {}): Promise<Record<string, any>> {
  const created = await createEventFixture(pod.admin, pod.namespace, fixture, { ...podEventValues(await pod.read()), ...extra });
  return pod.admin.get(`/api/v1/namespaces/${pod.namespace}/events/${created.metadata.name}`);
}

function condition(pod: Record<string, any>, type: string): Record<string, any> | undefined {
  return (pod.status.conditions as Record<string, any>[]).find((c) => c.type === type);
}

/** The Pod reference every event fixture carries; kubelet events point at the runner container. */
function assertAboutRunner(t: ExecutionContext, event: Record<string, any>, pod: KubeObject, fieldPath: string | undefined): void {
  t.like(event.involvedObject, { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid });
  t.is(event.involvedObject.fieldPath, fieldPath);
  t.regex(event.metadata.name, new RegExp(`^${pod.metadata.name}\\.[0-9a-f]+$`));
}

function assertKubeletEvent(t: ExecutionContext, event: Record<string, any>, node: string): void {
  t.deepEqual(event.source, { component: 'kubelet', host: node });
  t.like(event, { reportingComponent: 'kubelet', reportingInstance: node, eventTime: null });
  t.true(event.count >= 1);
  t.true(Date.parse(event.firstTimestamp) <= Date.parse(event.lastTimestamp), 'first seen no later than last seen');
}

test('the runner pod used here passes PodSecurity "restricted" and is scheduled to its node', async (t) => {
  const pod = await runnerPod(t, 'fx-pod');
  const live = await pod.read();
  t.is(live.spec.nodeName, pod.node);
  t.like(live.spec.containers[0], { name: 'runner', image, terminationMessagePolicy: 'FallbackToLogsOnError' });
  t.like(condition(live, 'PodScheduled'), { status: 'True' });
});

test('container-creating: the apiserver accepts it and the pod reads back Pending, waiting in ContainerCreating', async (t) => {
  const pod = await runnerPod(t, 'fx-creating');
  t.is(await writeStatus(pod, 'container-creating'), 200);
  const live = await pod.read();
  t.is(live.status.phase, 'Pending');
  t.deepEqual(live.status.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
  t.like(condition(live, 'ContainersReady'), { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [runner]' });
});

test('running-not-ready and the Unhealthy event: running, not started, not ready, startup probe refused', async (t) => {
  const pod = await runnerPod(t, 'fx-notready');
  t.is(await writeStatus(pod, 'running-not-ready'), 200);
  const live = await pod.read();
  t.is(live.status.phase, 'Running');
  t.like(live.status.containerStatuses[0], { name: 'runner', ready: false, started: false, restartCount: 0 });
  t.truthy(live.status.containerStatuses[0].state.running?.startedAt);
  for (const type of ['Ready', 'ContainersReady']) {
    t.like(condition(live, type), { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [runner]' });
  }

  const event = await recordEvent(pod, 'unhealthy');
  assertAboutRunner(t, event, live, 'spec.containers{runner}');
  assertKubeletEvent(t, event, pod.node);
  t.like(event, { type: 'Warning', reason: 'Unhealthy', count: 5 });
  const ip = live.status.podIP as string;
  t.is(event.message, `Startup probe failed: Get "http://${ip}:8000/_platform/health": dial tcp ${ip}:8000: connect: connection refused`);
});

test('crash-loop-backoff and the BackOff event: the runner\'s JSON termination message survives, the messages name the pod', async (t) => {
  const pod = await runnerPod(t, 'fx-crash');
  t.is(await writeStatus(pod, 'crash-loop-backoff', { terminationMessage }), 200);
  const live = await pod.read();
  const runner = live.status.containerStatuses[0];
  const { name, namespace, uid } = live.metadata;
  t.is(live.status.phase, 'Running');
  t.deepEqual(runner.state.waiting, {
    reason: 'CrashLoopBackOff',
    message: `back-off 10s restarting failed container=runner pod=${name}_${namespace}(${uid})`,
  });
  t.true(runner.restartCount >= 1);
  t.like(runner.lastState.terminated, { exitCode: 3, reason: 'Error', message: terminationMessage });
  t.deepEqual(JSON.parse(runner.lastState.terminated.message), { fp: 'start-failed', type: 'KeyError', message: "'TOKEN'", file: 'app.py', line: 4, phase: 'import' });
  t.truthy(runner.lastState.terminated.startedAt);
  t.truthy(runner.lastState.terminated.finishedAt);

  const event = await recordEvent(pod, 'back-off');
  assertAboutRunner(t, event, live, 'spec.containers{runner}');
  assertKubeletEvent(t, event, pod.node);
  t.like(event, { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container runner in pod ${name}_${namespace}(${uid})` });
});

test('oom-killed: lastState says OOMKilled with exit code 137 while the runner backs off', async (t) => {
  const pod = await runnerPod(t, 'fx-oom');
  const logTail = 'INFO:     Started server process [1]\nINFO:     Waiting for application startup.\n';
  t.is(await writeStatus(pod, 'oom-killed', { terminationMessage: logTail }), 200);
  const runner = (await pod.read()).status.containerStatuses[0];
  t.like(runner.lastState.terminated, { exitCode: 137, reason: 'OOMKilled', message: logTail });
  t.is(runner.state.waiting?.reason, 'CrashLoopBackOff');
  t.true(runner.restartCount >= 1);
});

test('image-pull-backoff with the Pulling and Failed events: Pending, ImagePullBackOff naming the image', async (t) => {
  const pod = await runnerPod(t, 'fx-pull');
  t.is(await writeStatus(pod, 'image-pull-backoff'), 200);
  const live = await pod.read();
  t.is(live.status.phase, 'Pending');
  const waiting = live.status.containerStatuses[0].state.waiting;
  t.is(waiting.reason, 'ImagePullBackOff');
  t.true((waiting.message as string).startsWith(`Back-off pulling image "${image}": ErrImagePull: `), waiting.message);

  const pulling = await recordEvent(pod, 'pulling');
  assertAboutRunner(t, pulling, live, 'spec.containers{runner}');
  assertKubeletEvent(t, pulling, pod.node);
  t.like(pulling, { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` });

  const failed = await recordEvent(pod, 'failed-pull');
  assertAboutRunner(t, failed, live, 'spec.containers{runner}');
  assertKubeletEvent(t, failed, pod.node);
  t.like(failed, { type: 'Warning', reason: 'Failed' });
  t.true((failed.message as string).startsWith(`Failed to pull image "${image}": rpc error: code = NotFound`), failed.message);
});

test('unschedulable and the FailedScheduling event: only PodScheduled False, reason Unschedulable, from default-scheduler', async (t) => {
  const pod = await runnerPod(t, 'fx-unsched', false);
  t.is(await writeStatus(pod, 'unschedulable'), 200);
  const live = await pod.read();
  const message = '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
  t.is(live.spec.nodeName, undefined);
  t.is(live.status.phase, 'Pending');
  t.deepEqual(live.status.conditions.map((c: any) => c.type), ['PodScheduled']);
  t.like(condition(live, 'PodScheduled'), { status: 'False', reason: 'Unschedulable', message });

  const event = await recordEvent(pod, 'failed-scheduling');
  assertAboutRunner(t, event, live, undefined);
  t.like(event, { type: 'Warning', reason: 'FailedScheduling', message, action: 'Scheduling', reportingComponent: 'default-scheduler' });
  t.deepEqual(event.source, {});
  t.is(event.count, undefined);
  t.is(event.firstTimestamp, null);
  t.regex(event.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
});

test('fails when a fixture needs a value nobody gave: the helpers name the placeholder', async (t) => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-abc123-x', namespace: 'apps', uid: 'u' }, spec: { containers: [{ name: 'runner', image }] } };
  t.throws(() => podStatusFixture('crash-loop-backoff', pod), { message: /crash-loop-backoff needs a value for \$\{terminationMessage\}/ });
  // An unscheduled pod has no node for a kubelet event to come from.
  await t.throwsAsync(createEventFixture(KubeRest.admin(), 'apps', 'pulling', podEventValues(pod)), { message: /pulling needs a value for \$\{node\}/ });
});
