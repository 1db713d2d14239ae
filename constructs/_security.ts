/**
 * Security contexts that pass the Kubernetes "restricted" Pod Security Standard: numeric non-root
 * UID, no privilege escalation, every capability dropped, RuntimeDefault seccomp, read-only root.
 * Shared by user apps and the platform's own workloads.
 */
import * as kplus from 'cdk8s-plus-28';

export function restrictedContainer(uid: number): kplus.ContainerSecurityContextProps {
  return {
    user: uid,
    group: uid,
    ensureNonRoot: true,
    privileged: false,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

export function restrictedPod(uid: number): kplus.PodSecurityContextProps {
  return { user: uid, group: uid, fsGroup: uid, ensureNonRoot: true };
}
