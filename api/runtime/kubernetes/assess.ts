/**
 * Where a rollout stands, from the cluster's real state only (a pure function of the watched objects):
 * applying → scheduled → pulling → starting → ready, or a precise failure. "Ready" means the
 * Deployment observed the applied generation and the new ReplicaSet (the one whose pod template
 * carries this version's code and env hashes) has every desired pod ready — never the old pods, which
 * stay ready throughout a rolling update.
 */
import { annotationKeys } from '../../../constructs/index.js';
import { eventTime, type AppWorkload } from '../../k8s/index.js';
import type { ContainerStatusJson, PodJson, ReplicaSetJson } from '../../k8s/objects.js';
import type { FailureReason, ProgressPhase } from '../types.js';

export interface RolloutTarget {
  readonly codeHash: string;
  readonly envHash: string;
  /** The Deployment's generation right after the apply. */
  readonly generation: number;
}

export interface Assessment {
  readonly phase: ProgressPhase;
  readonly message: string;
  readonly failure?: { readonly reason: FailureReason; readonly message: string; readonly file: string | null; readonly line: number | null };
}

const imagePullReasons = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
/** The runner's exit codes when the app could not start (runner/CONTRACT.md). */
const startFailureCodes = new Set([3, 4]);

function failed(reason: FailureReason, message: string, where: { file?: string | null; line?: number | null } = {}): Assessment {
  return { phase: 'failed', message, failure: { reason, message, file: where.file ?? null, line: where.line ?? null } };
}

/** The runner's structured failure line (the termination message), or the last line of the log fallback. */
export function runnerFailure(terminationMessage: string | undefined): { message: string; file: string | null; line: number | null } | null {
  const text = terminationMessage?.trim();
  if (!text) return null;
  const last = text.split('\n').filter(Boolean).at(-1) ?? text;
  try {
    const parsed = JSON.parse(last) as { fp?: string; type?: string; message?: string; file?: string; line?: number };
    if (parsed.fp === 'start-failed') {
      return { message: `${parsed.type ?? 'Error'}: ${parsed.message ?? ''}`, file: typeof parsed.file === 'string' ? parsed.file : null, line: typeof parsed.line === 'number' ? parsed.line : null };
    }
  } catch {
    // Not the runner's line: the last output the kubelet kept (FallbackToLogsOnError).
  }
  return { message: last.slice(0, 500), file: null, line: null };
}

function newReplicaSet(replicaSets: readonly ReplicaSetJson[], target: RolloutTarget): ReplicaSetJson | undefined {
  const revision = (rs: ReplicaSetJson) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return replicaSets
    .filter((rs) => {
      const annotations = rs.spec?.template?.metadata?.annotations ?? {};
      return annotations[annotationKeys.codeHash] === target.codeHash && annotations[annotationKeys.envHash] === target.envHash && !rs.metadata.deletionTimestamp;
    })
    .sort((a, b) => revision(b) - revision(a))[0];
}

function containerFailure(pod: PodJson, status: ContainerStatusJson, unhealthy: string | undefined): Assessment | null {
  const waiting = status.state?.waiting;
  const terminated = status.state?.terminated ?? status.lastState?.terminated;
  if (waiting?.reason && imagePullReasons.has(waiting.reason)) {
    return failed('image-pull', `the runner image could not be pulled (${waiting.reason}): ${waiting.message ?? ''}`.trim());
  }
  if (terminated?.reason === 'OOMKilled') {
    const limit = pod.spec?.containers?.find((c) => c.name === status.name)?.resources?.limits?.memory;
    return failed('oom-killed', `the app was killed for using more memory than its limit${limit ? ` of ${limit}` : ''} (OOMKilled)`);
  }
  const crashLooping = waiting?.reason === 'CrashLoopBackOff' || (status.restartCount ?? 0) > 0;
  if (terminated && (terminated.exitCode ?? 0) !== 0 && (crashLooping || startFailureCodes.has(terminated.exitCode ?? 0))) {
    // Killed by the kubelet (SIGKILL/SIGTERM) after its probe kept failing: the probe is the story.
    if (unhealthy && [137, 143].includes(terminated.exitCode ?? 0)) return failed('probe-failed', `the app never answered its health probe: ${unhealthy}`);
    const line = runnerFailure(terminated.message);
    const message = line?.message ?? `the app exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`;
    return failed(crashLooping ? 'crash-loop' : 'start-failed', message, line ?? {});
  }
  return null;
}

/**
 * The latest probe failure the kubelet reported for the pod, once it happened repeatedly: of any probe,
 * or (`afterStart`) only readiness and liveness failures since the container last started; the startup
 * probe failing while a slow app imports is no sign that a started app stopped answering.
 */
function probeFailure(workload: AppWorkload, pod: PodJson, afterStart?: string): string | undefined {
  const events = workload.events.filter((e) => e.involvedObject.name === pod.metadata.name && e.reason === 'Unhealthy'
    && (afterStart === undefined || (/^(Readiness|Liveness) probe failed/.test(e.message ?? '') && eventTime(e) >= afterStart)));
  const count = events.reduce((n, e) => n + (e.count ?? e.series?.count ?? 1), 0);
  return count >= 3 ? events.at(-1)?.message : undefined;
}

/**
 * Whether the kubelet killed the container because a probe ran out ("Container runner failed startup
 * probe, will be restarted"). The runner exits 0 on that SIGTERM, so the exit code alone cannot tell.
 */
function killedForProbe(workload: AppWorkload, pod: PodJson): boolean {
  return workload.events.some((e) => e.involvedObject.name === pod.metadata.name && e.reason === 'Killing' && /failed (startup|liveness) probe/.test(e.message ?? ''));
}

function podPhase(workload: AppWorkload, pod: PodJson): Assessment {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (!pod.spec?.nodeName) {
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return failed('unschedulable', `no node can run the app: ${scheduled.message ?? 'unschedulable'}`);
    return { phase: 'applying', message: 'waiting for a node' };
  }
  const status = pod.status?.containerStatuses?.find((c) => c.name === 'runner') ?? pod.status?.containerStatuses?.[0];
  const unhealthy = probeFailure(workload, pod);
  if (unhealthy && killedForProbe(workload, pod)) return failed('probe-failed', `the app never answered its health probe: ${unhealthy}`);
  if (status) {
    const failure = containerFailure(pod, status, unhealthy);
    if (failure) return failure;
    if (status.state?.running) {
      const stoppedAnswering = status.started ? probeFailure(workload, pod, status.state.running.startedAt ?? '') : undefined;
      if (stoppedAnswering) return failed('probe-failed', `the app stopped answering its health probe: ${stoppedAnswering}`);
      // A slow start is allowed a minute of failed startup probes before the kubelet restarts it.
      if (unhealthy && !status.started) return { phase: 'starting', message: `the app is starting; its health probe still fails: ${unhealthy}` };
      return { phase: 'starting', message: status.ready ? 'the app answers its health probe; waiting for the rollout to count it' : 'the app is starting (waiting for /_platform/health)' };
    }
  }
  const pulling = workload.events.some((e) => e.involvedObject.name === pod.metadata.name && e.reason === 'Pulling');
  if (pulling || status?.state?.waiting?.reason === 'ContainerCreating') {
    return { phase: 'pulling', message: pulling ? 'pulling the runner image' : 'creating the container' };
  }
  return { phase: 'scheduled', message: `scheduled on ${pod.spec.nodeName}` };
}

const order: Record<ProgressPhase, number> = { validating: 0, applying: 1, scheduled: 2, pulling: 3, starting: 4, ready: 5, failed: 6, sleeping: 7, waking: 8 };

export function assess(workload: AppWorkload, target: RolloutTarget): Assessment {
  const deployment = workload.deployment;
  if (!deployment) return { phase: 'applying', message: 'waiting for the Deployment' };
  const observed = (deployment.status?.observedGeneration ?? 0) >= target.generation;
  const deadline = observed ? deployment.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded') : undefined;
  const rs = newReplicaSet(workload.replicaSets, target);
  if (!rs) {
    if (deadline) return failed('deadline', deadline.message ?? 'the rollout exceeded its deadline');
    return { phase: 'applying', message: observed ? 'waiting for the new ReplicaSet' : 'waiting for the Deployment controller' };
  }
  const desired = deployment.spec?.replicas ?? 1;
  if ((rs.status?.readyReplicas ?? 0) >= desired) {
    // The controller may not have written its status for this generation yet; ready waits for it.
    if (observed && (deployment.status?.updatedReplicas ?? 0) >= desired) {
      return { phase: 'ready', message: desired === 0 ? 'scaled to zero' : `${desired} pod${desired === 1 ? '' : 's'} of the new version ready` };
    }
    return { phase: 'starting', message: 'the new pods are ready; waiting for the Deployment controller to observe them' };
  }
  const hash = rs.metadata.labels?.['pod-template-hash'];
  const pods = workload.pods.filter((p) => !p.metadata.deletionTimestamp && (hash ? p.metadata.labels?.['pod-template-hash'] === hash : p.metadata.ownerReferences?.some((o) => o.name === rs.metadata.name)));
  const assessments = pods.map((pod) => podPhase(workload, pod));
  const failure = assessments.find((a) => a.phase === 'failed');
  if (failure) return failure;
  if (deadline) return failed('deadline', deadline.message ?? 'the rollout exceeded its deadline');
  if (assessments.length === 0) return { phase: 'applying', message: 'waiting for the new pod' };
  // The least advanced pod says where the rollout is.
  return assessments.sort((a, b) => order[a.phase] - order[b.phase])[0] ?? { phase: 'applying', message: 'waiting' };
}
