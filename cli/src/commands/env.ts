/**
 * fp env list|set|unset. Values go to the platform and are never printed back (it stores them
 * encrypted and answers with masks); a value left out of the command line is asked for without echo.
 */
import { readFile } from 'node:fs/promises';
import { resolveApp } from '../apps.js';
import { output, session, type GlobalOptions } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { ago, json, table } from '../output.js';

type Options = GlobalOptions & { app?: string; fromFile?: string };

/** NAME=value lines of a .env file (comments, blank lines and `export ` allowed; quotes removed). */
export function parseDotEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new CliError(`Not a NAME=value line: "${line.slice(0, 40)}".`, exitCodes.usage);
    const value = line.slice(eq + 1).trim();
    vars[line.slice(0, eq).trim()] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return vars;
}

export async function list(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const { id, name } = await resolveApp(s, options.app);
  const { env } = await s.api.getEnv({ params: { appId: id } });
  if (out.json) return json(out.out, { env: env.map((v) => ({ name: v.name, updatedAt: v.updatedAt })) });
  if (env.length === 0) return out.line(`${name} has no environment variables.`);
  out.line(table([['NAME', 'CHANGED'].map((h) => out.paint('dim', h)), ...env.map((v) => [v.name, ago(v.updatedAt)])]));
}

export async function set(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const values: Record<string, string> = options.fromFile ? parseDotEnv(await readFile(options.fromFile, 'utf8')) : {};
  const ask: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) values[arg.slice(0, eq)] = arg.slice(eq + 1);
    else ask.push(arg);
  }
  if (ask.length > 0) {
    if (!out.interactive) throw new CliError(`No value for ${ask.join(', ')}: give NAME=value, or --from-file, when nobody can be asked.`, exitCodes.usage);
    const { password, isCancel } = await import('@clack/prompts');
    for (const name of ask) {
      const answer = await password({ message: `Value of ${name} (not shown)`, output: out.err });
      if (isCancel(answer)) throw new CliError('Nothing was set.', exitCodes.interrupted);
      values[name] = answer;
    }
  }
  const names = Object.keys(values);
  if (names.length === 0) throw new CliError('Nothing to set: give NAME=value pairs, NAME to be asked, or --from-file .env.', exitCodes.usage);
  const s = await session(options);
  const app = await resolveApp(s, options.app);
  const { env } = await s.api.getEnv({ params: { appId: app.id } });
  const vars = [...env.filter((v) => !(v.name in values)).map((v) => ({ name: v.name })), ...names.map((name) => ({ name, value: values[name] ?? '' }))];
  const result = await s.api.replaceEnv({ params: { appId: app.id }, body: { vars } });
  out.line(`Set ${names.join(', ')} on ${app.name} (values not shown). ${result.redeployed ? 'The app restarts with them.' : 'They apply from the next deploy.'}`);
}

export async function unset(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const app = await resolveApp(s, options.app);
  const { env } = await s.api.getEnv({ params: { appId: app.id } });
  const unknown = args.filter((name) => !env.some((v) => v.name === name));
  if (unknown.length > 0) throw new CliError(`${app.name} has no variable ${unknown.join(', ')}.`, exitCodes.notFound, 'See `fp env list`.');
  const result = await s.api.replaceEnv({ params: { appId: app.id }, body: { vars: env.filter((v) => !args.includes(v.name)).map((v) => ({ name: v.name })) } });
  out.line(`Removed ${args.join(', ')} from ${app.name}. ${result.redeployed ? 'The app restarts without them.' : 'This applies from the next deploy.'}`);
}
