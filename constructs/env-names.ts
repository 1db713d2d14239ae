/**
 * Which environment variable names an app may set. The runner and the platform own a few names
 * (and the PLATFORM_ and KUBERNETES_ prefixes); a user variable with one of those names would be
 * shadowed in the pod, so it is refused instead of silently ignored.
 */
export const reservedEnvNames: readonly string[] = [
  'PORT', 'CODE_DIR', 'CODE_PATH', 'ENTRYPOINT', 'APP_ID', 'HOME', 'PATH', 'XDG_CACHE_HOME',
  'PYTHONPATH', 'PYTHONHOME', 'PYTHONDONTWRITEBYTECODE', 'PYTHONSTARTUP', 'LD_PRELOAD', 'LD_LIBRARY_PATH',
  'FORWARDED_ALLOW_IPS',
];

export const reservedEnvPrefixes: readonly string[] = ['PLATFORM_', 'KUBERNETES_', 'FP_'];

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
