/**
 * The rollout assessment as a pure function, for the states the bed's controllers do not reach in
 * test time: a Deployment past its progress deadline, new pods ready before the controller observed
 * the generation (never "ready" then), and the runner's failure line versus a log fallback.
 */
import test from 'ava';
import { annotationKeys } from '../../constructs/index.js';
import { assess, runnerFailure, type RolloutTarget } from '../../api/runtime/kubernetes/assess.js';
import type { AppWorkload, DeploymentJson, PodJson, ReplicaSetJson } from '../../api/k8s/index.js';
import { podStatusFixture } from '../helpers/fake-node.js';

const target: RolloutTarget = { codeHash: 'c2', envHash: 'e2', generation: 4 };

function deployment(status: NonNullable<DeploymentJson['status']>): DeploymentJson {
  return { metadata: { name: 'app-x', generation: 4 }, spec: { replicas: 1 }, status };
}

function replicaSet(readyReplicas: number): ReplicaSetJson {
  return {
    metadata: { name: 'app-x-new', labels: { 'pod-template-hash': 'new' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { template: { metadata: { annotations: { [annotationKeys.codeHash]: 'c2', [annotationKeys.envHash]: 'e2' } } } },
    status: { readyReplicas },
  };
}

function pod(fixture: string): PodJson {
  const base = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-x-new-abcde', namespace: 'apps', uid: 'u1', labels: { 'pod-template-hash': 'new' } }, spec: { nodeName: 'n1', containers: [{ name: 'runner', image: 'runner:1' }] } };
  return { ...base, status: podStatusFixture(fixture, base, { terminationMessage: '' }) } as PodJson;
}

const workload = (d: DeploymentJson, rs: ReplicaSetJson[], pods: PodJson[] = []): AppWorkload => ({ deployment: d, replicaSets: rs, pods, events: [] });

test('new pods ready before the Deployment controller observed the generation are not "ready" yet', (t) => {
  const behind = assess(workload(deployment({ observedGeneration: 3, updatedReplicas: 1 }), [replicaSet(1)], [pod('running-ready')]), target);
  t.is(behind.phase, 'starting');
  t.regex(behind.message, /waiting for the Deployment controller/);
  t.is(assess(workload(deployment({ observedGeneration: 4, updatedReplicas: 1 }), [replicaSet(1)], [pod('running-ready')]), target).phase, 'ready');
  t.is(assess(workload(deployment({ observedGeneration: 4, updatedReplicas: 1 }), [replicaSet(0)], [pod('running-not-ready')]), target).phase, 'starting');
});

test('fails with reason deadline once the controller reports ProgressDeadlineExceeded', (t) => {
  const stuck = deployment({
    observedGeneration: 4, updatedReplicas: 1,
    conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "app-x-new" has timed out progressing.' }],
  });
  const result = assess(workload(stuck, [replicaSet(0)], [pod('running-not-ready')]), target);
  t.like(result, { phase: 'failed', failure: { reason: 'deadline', message: 'ReplicaSet "app-x-new" has timed out progressing.' } });
});

test('the runner\'s failure line gives type, message, file and line; other output gives its last line', (t) => {
  t.deepEqual(runnerFailure('{"fp": "start-failed", "type": "SyntaxError", "message": "invalid syntax", "file": "pkg/mod.py", "line": 7, "phase": "import"}'),
    { message: 'SyntaxError: invalid syntax', file: 'pkg/mod.py', line: 7 });
  t.deepEqual(runnerFailure('Traceback (most recent call last):\n  ...\nMemoryError\n'), { message: 'MemoryError', file: null, line: null });
  t.is(runnerFailure('   '), null);
});
