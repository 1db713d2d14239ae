/** fp login (device code or a token), logout, whoami, and the platforms of ~/.fp/config.toml. */
import { hostname } from 'node:os';
import { createClient, type DeviceLoginPoll } from '../../../contract/index.js';
import { canOpenBrowser, openBrowser } from '../browser.js';
import { configPath, readConfig, writeConfig } from '../config.js';
import { clientFor, normalizeUrl, output, resolvePlatform, savePlatform, session, type GlobalOptions } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { json, table } from '../output.js';
import { progress } from '../spinner.js';
import { version } from '../version.js';

type Options = GlobalOptions & { name?: string; browser?: boolean };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function platformUrl(args: string[], options: Options): Promise<string> {
  const given = args[0] ?? options.url ?? process.env.FP_URL;
  if (given) return normalizeUrl(given);
  const config = await readConfig();
  const active = config.active?.platform ? config.platforms[config.active.platform] : undefined;
  if (active) return active.url;
  throw new CliError('Which platform? Give its URL.', exitCodes.usage, 'For example: fp login https://platform.example.com');
}

export async function login(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const url = await platformUrl(args, options);
  const token = options.token ?? process.env.FP_TOKEN;
  if (token) {
    const me = await clientFor({ name: null, url, entry: { url, token }, via: 'flags' }).me();
    const name = await savePlatform(url, { token, username: me.user.username }, options.name);
    out.line(`Signed in to ${url} as ${me.user.username} with a token; saved as "${name}" in ${configPath()}.`);
    return;
  }
  const anonymous = createClient({ baseUrl: url, timeoutMs: 30_000 });
  const start = await anonymous.startDeviceLogin({ body: { client: `fp ${version} on ${hostname()}` } });
  const p = out.paintErr;
  out.note(`To sign in, open ${p('bold', start.verificationUrlComplete)}`);
  out.note(`and check that the page shows the code ${p('bold', start.userCode)}, then approve it.`);
  if (out.interactive && options.browser !== false && canOpenBrowser()) await openBrowser(start.verificationUrlComplete);
  const waiting = await progress(out, 'Waiting for your approval in the browser (Ctrl-C to stop)…');
  const deadline = Date.now() + start.expiresIn * 1000;
  let interval = start.interval;
  let result: DeviceLoginPoll;
  for (;;) {
    await sleep(interval * 1000);
    if (Date.now() > deadline) {
      waiting.fail('The code expired.');
      throw new CliError('The sign-in code expired before it was approved.', exitCodes.auth, 'Run `fp login` again for a new code.');
    }
    result = await anonymous.pollDeviceLogin({ body: { deviceCode: start.deviceCode } });
    if (result.status === 'pending' || result.status === 'slow_down') {
      interval = result.interval;
      continue;
    }
    break;
  }
  if (result.status === 'denied') {
    waiting.fail('Refused.');
    throw new CliError('The sign-in was refused in the browser.', exitCodes.auth);
  }
  const name = await savePlatform(url, { token: result.accessToken, refresh_token: result.refreshToken, username: result.user.username }, options.name);
  waiting.done(`Approved.`);
  out.line(`Signed in to ${url} as ${result.user.username}; saved as "${name}" in ${configPath()}.`);
}

export async function logout(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const platform = await resolvePlatform(options);
  if (!platform.name) {
    throw new CliError('Nothing to sign out of: the token comes from FP_TOKEN or --token, not from ~/.fp/config.toml.', exitCodes.usage, 'Revoke a personal API token with `fp tokens revoke <id>`.');
  }
  if (platform.entry.refresh_token && platform.entry.token) {
    // Ends the session on the platform too, so the saved tokens are worthless even if copied.
    await clientFor(platform).logout().catch(() => undefined);
  }
  const config = await readConfig();
  delete config.platforms[platform.name];
  if (config.active?.platform === platform.name) {
    const next = Object.keys(config.platforms)[0];
    config.active = next ? { platform: next } : {};
  }
  await writeConfig(config);
  out.line(`Signed out of ${platform.url} ("${platform.name}").${config.active?.platform ? ` The active platform is now "${config.active.platform}".` : ''}`);
}

export async function whoami(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const { platform, api } = await session(options);
  const { user } = await api.me();
  const via = platform.entry.token?.startsWith('fpt_') ? 'api-token' : 'session';
  if (out.json) return json(out.out, { user, platform: { name: platform.name, url: platform.url }, via });
  out.line(`${out.paint('bold', user.username)} (${user.email})${user.isAdmin ? ', admin' : ''}`);
  out.line(`on ${platform.url}${platform.name ? ` ("${platform.name}")` : ` (from ${platform.via})`}, with a ${via === 'api-token' ? 'personal API token' : 'CLI session'}`);
}

export async function platforms(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const config = await readConfig();
  const rows = Object.entries(config.platforms).map(([name, p]) => ({ name, url: p.url, username: p.username ?? null, active: config.active?.platform === name }));
  if (out.json) return json(out.out, { active: config.active?.platform ?? null, platforms: rows });
  if (rows.length === 0) return out.line('No platforms yet: run `fp login <url>`.');
  out.line(table([['', 'NAME', 'URL', 'USER'], ...rows.map((r) => [r.active ? '*' : '', r.name, r.url, r.username ?? ''])]));
}

export async function use(args: string[], options: Options): Promise<void> {
  const config = await readConfig();
  const name = args[0] ?? '';
  if (!config.platforms[name]) throw new CliError(`There is no platform named "${name}".`, exitCodes.notFound, 'See `fp platforms` for the names.');
  config.active = { platform: name };
  await writeConfig(config);
  output(options).line(`"${name}" (${config.platforms[name]?.url}) is now the default platform.`);
}
