/**
 * Which environment variable names an app may set. The runners and the platform own a few names
 * (and the PLATFORM_ and KUBERNETES_ prefixes); a user variable with one of those names would be
 * shadowed in the pod, so it is refused instead of silently ignored. So are the variables the dynamic
 * loader and the C library obey (glibc's secure-mode list, the LD_ and MALLOC_ prefixes): the local
 * sandbox is set up by privileged processes, which must never run with a tenant's loader settings.
 */
export const reservedEnvNames: readonly string[] = [
  'PORT', 'CODE_DIR', 'CODE_PATH', 'ENTRYPOINT', 'APP_ID', 'HOME', 'PATH', 'XDG_CACHE_HOME', 'TMPDIR',
  'PYTHONPATH', 'PYTHONHOME', 'PYTHONDONTWRITEBYTECODE', 'PYTHONSTARTUP',
  // Node obeys these: options (an inspector port, another loader), module and data paths, coverage and cache files.
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_ICU_DATA', 'NODE_REPL_EXTERNAL_MODULE', 'NODE_V8_COVERAGE', 'NODE_COMPILE_CACHE',
  'FORWARDED_ALLOW_IPS',
  'GCONV_PATH', 'GETCONF_DIR', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCALDOMAIN', 'LOCPATH', 'NIS_PATH', 'NLSPATH',
  'RESOLV_HOST_CONF', 'RES_OPTIONS', 'TZDIR',
];

/** ESBUILD_ settings would swap the Node runner's compiler binary. */
export const reservedEnvPrefixes: readonly string[] = ['PLATFORM_', 'KUBERNETES_', 'FP_', 'LD_', 'MALLOC_', 'ESBUILD_'];

const loaderNames = new Set(['GCONV_PATH', 'GETCONF_DIR', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCALDOMAIN', 'LOCPATH', 'NIS_PATH', 'NLSPATH', 'RESOLV_HOST_CONF', 'RES_OPTIONS', 'TMPDIR', 'TZDIR']);

/** Whether the dynamic loader or the C library obeys `name` (never passed to a privileged process). */
export function isLoaderVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.startsWith('LD_') || upper.startsWith('MALLOC_') || loaderNames.has(upper);
}

export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Returns why `name` cannot be an app's env var, or undefined when it can. */
export function envNameProblem(name: string): string | undefined {
  if (!envNamePattern.test(name)) return 'use letters, digits and underscores, not starting with a digit';
  if (name.length > 128) return 'use at most 128 characters';
  if (reservedEnvNames.includes(name.toUpperCase())) return 'this name is reserved by the platform; pick another';
  const prefix = reservedEnvPrefixes.find((p) => name.toUpperCase().startsWith(p));
  if (prefix) return `names starting with ${prefix} are reserved by the platform; pick another`;
  return undefined;
}
