export { bwrapArgs, dropTo, type SandboxArgs, type SandboxBind } from './bwrap-args.js';
export { Cgroups, CgroupGroup, type Limits } from './cgroups.js';
export { describePlan, detectSandbox, type SandboxLimits, type SandboxPlan, type SandboxSettings } from './detect.js';
export { hostLayout, nodeLayout, pythonLayout, type HostLayout } from './host-binds.js';
export { launchSandboxed, type Sandboxed, type SandboxedSpec } from './launch.js';
export { TenantIds } from './tenant-ids.js';
