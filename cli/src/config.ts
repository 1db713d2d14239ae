/**
 * ~/.fp/config.toml: the platforms you signed in to, by name, and which one is active (the original
 * CLI's file and format: `[platforms.<name>]` with url, token, username; `[active] platform`), extended
 * with `refresh_token` for CLI sessions. The directory is 0700 and the file 0600, written atomically.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, exitCodes } from './exit-codes.js';

export interface PlatformEntry {
  url: string;
  /** The bearer token: a session's access token (fpa.…) or a personal API token (fpt_…). */
  token?: string;
  /** A CLI session's refresh token (fps_…); absent for personal API tokens. */
  refresh_token?: string;
  username?: string;
}

export interface ConfigFile {
  active?: { platform?: string };
  platforms: Record<string, PlatformEntry>;
}

export const configDir = () => join(homedir(), '.fp');
export const configPath = () => join(configDir(), 'config.toml');

export async function readConfig(): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(configPath(), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { platforms: {} };
    throw new CliError(`Could not read ${configPath()}: ${(error as Error).message}.`);
  }
  const { parse } = await import('smol-toml');
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${configPath()} is not valid TOML: ${(error as Error).message.split('\n')[0]}. Fix it, or remove it and sign in again.`, exitCodes.usage);
  }
  const platforms: Record<string, PlatformEntry> = {};
  for (const [name, value] of Object.entries((parsed.platforms ?? {}) as Record<string, Record<string, unknown>>)) {
    if (typeof value?.url !== 'string') continue;
    platforms[name] = {
      url: value.url,
      ...(typeof value.token === 'string' ? { token: value.token } : {}),
      ...(typeof value.refresh_token === 'string' ? { refresh_token: value.refresh_token } : {}),
      ...(typeof value.username === 'string' ? { username: value.username } : {}),
    };
  }
  const active = (parsed.active as { platform?: unknown } | undefined)?.platform;
  return { platforms, ...(typeof active === 'string' ? { active: { platform: active } } : {}) };
}

export async function writeConfig(config: ConfigFile): Promise<void> {
  const { stringify } = await import('smol-toml');
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  const partial = `${configPath()}.${process.pid}.partial`;
  const body = { ...(config.active?.platform ? { active: { platform: config.active.platform } } : {}), platforms: config.platforms };
  await writeFile(partial, `# fp's platforms (fp login / fp logout). Holds tokens: keep it private.\n${stringify(body)}\n`, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, configPath());
}

/** A name for a new platform entry: "default" first, then the URL's host. */
export function entryName(config: ConfigFile, url: string): string {
  const existing = Object.entries(config.platforms).find(([, p]) => p.url === url)?.[0];
  if (existing) return existing;
  if (Object.keys(config.platforms).length === 0) return 'default';
  return new URL(url).host.replace(/[^A-Za-z0-9_-]/g, '-');
}
