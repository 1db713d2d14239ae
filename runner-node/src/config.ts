/**
 * The runner's configuration, read once from the environment: the same variables and meanings as the
 * Python runner's (runner/CONTRACT.md), with `app.ts` as the default entrypoint.
 */
import { resolve } from 'node:path';

export const healthPath = '/_platform/health';
export const requestIdHeader = 'x-platform-request-id';
export const instanceHeader = 'x-platform-instance';
/** Handed to the platform's gateway, which strips both: the version that answered, a failed request's error. */
export const versionHeader = 'x-platform-version';
export const errorHeader = 'x-platform-error';

export type Listen =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

export function describeListen(listen: Listen): string {
  return listen.kind === 'unix' ? `unix:${listen.path}` : `tcp:${listen.host}:${listen.port}`;
}

/** `FP_LISTEN=unix:<path>` | `tcp:<port>` | `tcp:<host>:<port>`; without it, `FP_HOST` and `PORT`. */
export function parseListen(env: NodeJS.ProcessEnv): Listen {
  const spec = (env.FP_LISTEN ?? '').trim();
  const defaultHost = env.FP_HOST ?? '0.0.0.0';
  if (!spec) {
    const port = env.PORT ?? '8000';
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`PORT=${JSON.stringify(port)} is not a port number`);
    return { kind: 'tcp', host: defaultHost, port: Number(port) };
  }
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  if (kind === 'unix' && rest.startsWith('/')) return { kind: 'unix', path: rest };
  if (kind === 'tcp' && rest) {
    const split = rest.lastIndexOf(':');
    const host = split < 0 ? '' : rest.slice(0, split).replace(/^\[|\]$/g, '');
    const port = split < 0 ? rest : rest.slice(split + 1);
    if (/^\d+$/.test(port) && Number(port) <= 65535) return { kind: 'tcp', host: host || defaultHost, port: Number(port) };
  }
  throw new Error(`FP_LISTEN=${JSON.stringify(spec)} is not unix:<absolute path>, tcp:<port> or tcp:<host>:<port>`);
}

export interface RunnerConfig {
  readonly codeDir: string;
  readonly entrypoint: string;
  readonly listen: Listen;
  readonly forwardedAllowIps: string;
  readonly terminationLog: string;
  readonly gracefulSeconds: number;
  readonly instance: string;
  /** FP_APP_VERSION: the version being run (digits), or empty. */
  readonly version: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  let codeDir = env.CODE_DIR ?? '/code';
  let entrypoint = env.ENTRYPOINT ?? 'app.ts';
  // The original platform passed one path; it is still accepted.
  const codePath = env.CODE_PATH;
  if (codePath && env.CODE_DIR === undefined && env.ENTRYPOINT === undefined) {
    const slash = codePath.lastIndexOf('/');
    codeDir = slash > 0 ? codePath.slice(0, slash) : '.';
    entrypoint = codePath.slice(slash + 1);
  }
  const listen = parseListen(env);
  const graceful = env.FP_GRACEFUL_SECONDS ?? '25';
  if (!/^\d+$/.test(graceful)) throw new Error(`FP_GRACEFUL_SECONDS=${JSON.stringify(graceful)} is not a whole number of seconds`);
  return {
    codeDir: resolve(codeDir),
    entrypoint,
    listen,
    // Only the platform (and the app's own sandbox) can reach a Unix socket: its peer is the proxy.
    forwardedAllowIps: env.FORWARDED_ALLOW_IPS ?? (listen.kind === 'unix' ? '*' : '127.0.0.1,::1'),
    terminationLog: env.FP_TERMINATION_LOG ?? '/dev/termination-log',
    gracefulSeconds: Number(graceful),
    instance: env.FP_INSTANCE ?? '',
    version: /^\d+$/.test(env.FP_APP_VERSION ?? '') ? (env.FP_APP_VERSION ?? '') : '',
  };
}
