/** The rollout vocabulary every runtime reports and every client shows: progress phases and failure reasons. */

/** validating → applying → scheduled → pulling → starting → ready, or failed; an idle app sleeping, and waking → ready. */
export const progressPhases = ['validating', 'applying', 'scheduled', 'pulling', 'starting', 'ready', 'failed', 'sleeping', 'waking'] as const;
export type ProgressPhase = (typeof progressPhases)[number];

export const failureReasons = ['start-failed', 'crash-loop', 'oom-killed', 'image-pull', 'unschedulable', 'probe-failed', 'deadline', 'apply-failed', 'unknown'] as const;
export type FailureReason = (typeof failureReasons)[number];
