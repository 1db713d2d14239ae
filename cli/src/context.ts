/**
 * What every platform command needs: which platform (flags, then FP_URL/FP_TOKEN/FP_PLATFORM, then the
 * project's `platform:`, then the active entry of ~/.fp/config.toml), a typed client for it (the shared
 * contract/ client, refreshing a CLI session's access token on a 401 and saving it), how to print,
 * and how an API failure becomes a sentence and an exit code.
 */
import { ApiError, createClient, type Client } from '../../contract/index.js';
import { entryName, readConfig, writeConfig, type PlatformEntry } from './config.js';
import { CliError, exitCodes, type ExitCode } from './exit-codes.js';
import { colourOn, painter, type Paint, type Streams } from './output.js';
import { findProject } from './project.js';
import { version } from './version.js';

export interface GlobalOptions {
  readonly url?: string;
  readonly token?: string;
  readonly platform?: string;
  readonly json?: boolean;
}

export interface Output extends Streams {
  readonly json: boolean;
  /** Colours for stdout and stderr. */
  readonly paint: Paint;
  readonly paintErr: Paint;
  /** Interactive: stdin and stderr are terminals (prompts, spinners). */
  readonly interactive: boolean;
  line(text?: string): void;
  note(text: string): void;
}

export function output(options: GlobalOptions): Output {
  const out = process.stdout;
  const err = process.stderr;
  return {
    out, err, json: Boolean(options.json),
    paint: painter(colourOn(out)), paintErr: painter(colourOn(err)),
    interactive: Boolean(process.stdin.isTTY && err.isTTY) && process.env.CI !== 'true',
    line: (text = '') => out.write(`${text}\n`),
    note: (text) => err.write(`${text}\n`),
  };
}

export interface Platform {
  /** The config entry's name, or null when given by flags or environment alone. */
  readonly name: string | null;
  readonly url: string;
  readonly entry: PlatformEntry;
  readonly via: 'flags' | 'environment' | 'config';
}

/** "localhost:8080" → "http://localhost:8080"; anything else without a scheme gets https. */
export function normalizeUrl(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `${/^(localhost|127\.|\[::1\])/.test(trimmed) ? 'http' : 'https'}://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`"${input}" is not a URL; give the platform's address, e.g. https://platform.example.com.`, exitCodes.usage);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new CliError(`The platform's URL must be http or https, not ${url.protocol}`, exitCodes.usage);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export async function resolvePlatform(options: GlobalOptions): Promise<Platform> {
  const flagUrl = options.url ?? process.env.FP_URL;
  const flagToken = options.token ?? process.env.FP_TOKEN;
  const via = options.url || options.token ? 'flags' : 'environment';
  const config = await readConfig();
  const project = await findProject();
  const wanted = options.platform ?? process.env.FP_PLATFORM ?? project?.file.platform;
  if (wanted && !config.platforms[wanted]) {
    throw new CliError(`There is no platform named "${wanted}" in ~/.fp/config.toml.`, exitCodes.usage, `Sign in to it with \`fp login <url> --name ${wanted}\`.`);
  }
  const named = wanted ?? config.active?.platform;
  const fromConfig = named ? config.platforms[named] : undefined;
  if (flagUrl) {
    const url = normalizeUrl(flagUrl);
    const match = Object.entries(config.platforms).find(([, p]) => p.url === url);
    if (flagToken) return { name: null, url, entry: { url, token: flagToken }, via };
    if (match) return { name: match[0], url, entry: match[1], via: 'config' };
    return { name: null, url, entry: { url }, via };
  }
  if (flagToken) {
    if (!fromConfig) throw new CliError('A token was given but no platform URL.', exitCodes.usage, 'Set FP_URL (or --url) too, e.g. FP_URL=https://platform.example.com.');
    return { name: null, url: fromConfig.url, entry: { url: fromConfig.url, token: flagToken }, via };
  }
  if (!named || !fromConfig) {
    throw new CliError('Not signed in to any platform.', exitCodes.auth, 'Run `fp login <url>`, or set FP_URL and FP_TOKEN (a personal API token, for CI).');
  }
  return { name: named, url: fromConfig.url, entry: fromConfig, via: 'config' };
}

/** The shared typed client for a platform, with fp's user agent, a 30 s time limit and session refresh. */
export function clientFor(platform: Platform): Client {
  const entry = platform.entry;
  return createClient({
    baseUrl: platform.url,
    timeoutMs: 30_000,
    headers: () => ({ 'user-agent': `fp/${version} (${process.platform})`, ...(entry.token ? { authorization: `Bearer ${entry.token}` } : {}) }),
    onUnauthorized: async () => {
      if (!entry.refresh_token) return false;
      const anonymous = createClient({ baseUrl: platform.url, timeoutMs: 30_000 });
      const refreshed = await anonymous.refresh({ body: { refreshToken: entry.refresh_token } }).catch(() => undefined);
      if (!refreshed) return false;
      entry.token = refreshed.accessToken;
      if (platform.name) {
        const config = await readConfig();
        const saved = config.platforms[platform.name];
        if (saved) {
          saved.token = refreshed.accessToken;
          await writeConfig(config);
        }
      }
      return true;
    },
  });
}

export interface Session {
  readonly platform: Platform;
  readonly api: Client;
}

export async function session(options: GlobalOptions): Promise<Session> {
  const platform = await resolvePlatform(options);
  if (!platform.entry.token) {
    throw new CliError(`Not signed in to ${platform.url}.`, exitCodes.auth, `Run \`fp login ${platform.url}\`, or set FP_TOKEN.`);
  }
  return { platform, api: clientFor(platform) };
}

/** Saves a signed-in platform as a config entry and makes it active. */
export async function savePlatform(url: string, entry: Omit<PlatformEntry, 'url'>, name?: string): Promise<string> {
  const config = await readConfig();
  const key = name ?? entryName(config, url);
  config.platforms[key] = { url, ...entry };
  config.active = { platform: key };
  await writeConfig(config);
  return key;
}

const statusCodes: Record<number, ExitCode> = { 400: exitCodes.usage, 401: exitCodes.auth, 403: exitCodes.auth, 404: exitCodes.notFound, 409: exitCodes.conflict, 413: exitCodes.usage };

/** An API failure as fp's error: the API's sentence and the exit code of its class. */
export function fromApiError(error: ApiError, platformUrl?: string): CliError {
  if (error.status === 0) {
    const cause = (error.cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const reason = cause?.code ?? cause?.message;
    const where = platformUrl ?? (error.details as { url?: string } | null)?.url ?? 'the platform';
    return new CliError(`Could not reach ${where}${reason ? ` (${reason})` : ''}.`, exitCodes.failure, 'Check the URL and your connection, then try again.');
  }
  const hint = error.status === 401 ? 'Sign in again with `fp login`, or check FP_TOKEN.' : undefined;
  const fields = error.fields.length > 0 && !error.message.includes(error.fields[0]?.message ?? '') ? ` (${error.fields.map((f) => `${f.field}: ${f.message}`).join('; ')})` : '';
  return new CliError(`${error.message}${fields}`, statusCodes[error.status] ?? exitCodes.failure, hint);
}

export { ApiError };
