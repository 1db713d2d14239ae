/**
 * The command tree (commander): every command, its arguments and options, and its help. Actions load
 * their command group only when run, so starting fp stays cheap. The same tree drives
 * `fp completion`. Usage errors (unknown flag, missing argument) exit 2.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { GlobalOptions } from './context.js';
import { exitCodes } from './exit-codes.js';
import { runAction } from './run-action.js';
import { version } from './version.js';

type Options = GlobalOptions & Record<string, unknown>;
type Action = (args: string[], options: Options, program: Command) => Promise<number | void>;

/** Adds the options every platform command takes, and the action that loads its module on demand. */
function platformCommand(cmd: Command, load: () => Promise<Action>, opts: { json?: boolean } = {}): Command {
  cmd
    .addOption(new Option('--url <url>', 'the platform (or FP_URL)'))
    .addOption(new Option('--token <token>', 'a token instead of the saved sign-in (or FP_TOKEN)'))
    .addOption(new Option('--platform <name>', 'a platform of ~/.fp/config.toml other than the active one (or FP_PLATFORM)'));
  if (opts.json) cmd.option('--json', 'print JSON (a stable shape, see docs/cli.md)');
  return cmd.action(async (...raw: unknown[]) => {
    const command = raw.at(-1) as Command;
    // Positional values come first (a variadic one as an array), then the options and the command.
    const args = raw.slice(0, -2).flat().filter((a): a is string => typeof a === 'string');
    const code = await runAction(async () => (await load())(args, command.optsWithGlobals() as Options, rootOf(command)));
    throw new CommanderError(code, 'fp.done', '');
  });
}

function rootOf(command: Command): Command {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
}

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Give a whole number of at least 1.');
  return n;
};

export function buildProgram(): Command {
  const program = new Command('fp')
    .description('The FastAPI Platform from your terminal: sign in, start a project, run it locally, deploy it, watch it.')
    .version(version, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .configureHelp({ sortSubcommands: false })
    .addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found, 5 conflict, 6 validation or deploy failed, 130 interrupted.\nDocs: docs/cli.md');

  const auth = async () => import('./commands/auth.js');
  platformCommand(program.command('login').argument('[url]', 'the platform, e.g. https://platform.example.com').description('sign in by approving a code in your browser (works over SSH)')
    .option('--name <name>', 'save it under this name in ~/.fp/config.toml')
    .option('--no-browser', 'do not try to open the browser; print the link only'), async () => (await auth()).login);
  platformCommand(program.command('logout').description('end this sign-in and forget it'), async () => (await auth()).logout);
  platformCommand(program.command('whoami').description('who you are signed in as, and where'), async () => (await auth()).whoami, { json: true });
  const platforms = program.command('platforms').description('the platforms you signed in to');
  platformCommand(platforms.command('list', { isDefault: true }).description('list them, the active one marked'), async () => (await auth()).platforms, { json: true });
  platformCommand(platforms.command('use').argument('<name>').description('make one the default'), async () => (await auth()).use);

  const project = async () => import('./commands/project.js');
  platformCommand(program.command('init').argument('[dir]', 'where to create the project', '.').description('start a project: a hello-world app, or a template\'s files')
    .option('-t, --template <name>', 'start from a template (id or title; see `fp templates`)')
    .option('-n, --name <name>', 'the app\'s name (default: the folder\'s)')
    .addOption(new Option('--framework <framework>', 'for the hello-world app (hono: TypeScript)').choices(['fastapi', 'fasthtml', 'hono'])), async () => (await project()).init);
  platformCommand(program.command('validate').description('check the project with the platform\'s validator, offline'), async () => (await project()).validate, { json: true });
  platformCommand(program.command('templates').description('the templates `fp init --template` can start from'), async () => (await project()).templates, { json: true });
  platformCommand(program.command('dev').description('run the project locally with the platform\'s runner, reloading on save')
    .option('-p, --port <port>', 'port to listen on', '8000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--python <python>', 'the Python with the runner\'s packages (or FP_PYTHON)')
    .option('--no-reload', 'do not restart on file changes'), async () => (await import('./commands/dev.js')).dev);

  const sync = async () => import('./commands/sync.js');
  platformCommand(program.command('push').description('save your files as the app\'s draft (creates the app the first time)')
    .option('-f, --force', 'overwrite the draft even if it changed on the platform'), async () => (await sync()).push);
  platformCommand(program.command('pull').argument('[app]', 'an app to fetch into this folder (default: the linked one)').description('fetch the app\'s draft; never overwrites unpushed edits without asking')
    .option('-f, --force', 'overwrite local edits without asking'), async () => (await sync()).pull);
  platformCommand(program.command('deploy').description('validate, push, deploy and follow the rollout; prints the URL')
    .option('-f, --force', 'push even if the draft changed on the platform')
    .option('--no-validate', 'skip the local validation (the platform still validates)'), async () => (await sync()).deploy);
  platformCommand(program.command('clone').argument('<app>', 'app name or id').argument('[dir]', 'folder to create (default: the app\'s name)').description('fetch an app into a new folder, linked to it')
    .option('--as <name>', 'first copy the app on the platform under this name, and fetch the copy'), async () => (await sync()).clone);

  const apps = async () => import('./commands/apps.js');
  platformCommand(program.command('list').alias('ls').description('your apps')
    .option('-s, --search <text>', 'only names containing this')
    .addOption(new Option('--status <phase>', 'only apps in this state').choices(['draft', 'deploying', 'running', 'failed'])), async () => (await apps()).list, { json: true });
  platformCommand(program.command('status').argument('[app]', 'app name or id (default: the linked one)').description('what runs, what the runtime reports, the draft'), async () => (await apps()).status, { json: true });
  platformCommand(program.command('open').argument('[app]').description('open the app in your browser').option('--print', 'print the URL only'), async () => (await apps()).open);
  platformCommand(program.command('delete').argument('[app]').description('delete an app and everything it runs').option('-y, --yes', 'do not ask'), async () => (await apps()).remove);
  platformCommand(program.command('versions').argument('[app]').description('the last ten versions'), async () => (await apps()).versions, { json: true });
  platformCommand(program.command('rollback').argument('<version>', 'the version whose files to deploy again').argument('[app]').description('deploy an earlier version\'s files as a new version'), async () => (await apps()).rollback);

  const observe = async () => import('./commands/observe.js');
  platformCommand(program.command('logs').argument('[app]').description('the app\'s output')
    .option('-f, --follow', 'keep printing new lines (reconnects without repeating a line)')
    .option('--since <duration>', 'only lines from the last 30s, 10m, 2h or 1d, or since an ISO time')
    .option('-n, --tail <lines>', 'how many recent lines', positive, 100), async () => (await observe()).logs, { json: true });
  platformCommand(program.command('requests').argument('[app]').description('recent requests recorded by the platform, with failures\' tracebacks')
    .option('--status <status>', 'a status (404) or a class (5xx)')
    .option('--method <method>', 'GET, POST, …')
    .option('--path <prefix>', 'paths starting with this')
    .option('--failed', 'only failures (5xx or an exception)')
    .option('--limit <n>', 'at most this many', positive, 50), async () => (await observe()).requests, { json: true });

  const env = program.command('env').description('the app\'s environment variables (values are never printed)');
  const envs = async () => import('./commands/env.js');
  platformCommand(env.command('list', { isDefault: true }).option('--app <app>', 'app name or id (default: the linked one)').description('names and when they changed'), async () => (await envs()).list, { json: true });
  platformCommand(env.command('set').argument('[assignments...]', 'NAME=value, or NAME alone to be asked for its value').option('--app <app>').option('--from-file <path>', 'read NAME=value lines (a .env file)')
    .description('set variables (a deployed app restarts with them)'), async () => (await envs()).set);
  platformCommand(env.command('unset').argument('<names...>').option('--app <app>').description('remove variables'), async () => (await envs()).unset);

  const tokens = program.command('tokens').description('personal API tokens, for CI (FP_TOKEN)');
  const tok = async () => import('./commands/tokens.js');
  platformCommand(tokens.command('list', { isDefault: true }).description('your tokens (never their values)'), async () => (await tok()).list, { json: true });
  platformCommand(tokens.command('create').argument('<name>').option('--expires-in-days <days>', 'let it expire', positive).description('create one; its value is shown once'), async () => (await tok()).create, { json: true });
  platformCommand(tokens.command('revoke').argument('<id>', 'the id `fp tokens list` shows').description('revoke one'), async () => (await tok()).revoke);

  const db = program.command('db').description('your databases: the app\'s, their collections, read-only queries');
  const dbs = async () => import('./commands/db.js');
  platformCommand(db.command('info', { isDefault: true }).option('--app <app>', 'app name or id (default: the linked one)').description('the database the app gets, its size and collections'), async () => (await dbs()).info, { json: true });
  platformCommand(db.command('list').description('your databases'), async () => (await dbs()).list, { json: true });
  platformCommand(db.command('collections').argument('[database]', 'name or id (default: the app\'s, else your default)').option('--app <app>').description('collections with counts and sizes'), async () => (await dbs()).collections, { json: true });
  platformCommand(db.command('query').argument('<collection>').option('--db <database>', 'name or id (default: the app\'s, else your default)').option('--app <app>')
    .option('--filter <json>', 'a JSON filter, e.g. \'{"done": false}\'').option('--sort <json>', 'e.g. \'{"_id": -1}\'').option('--limit <n>', 'at most this many documents', positive, 20)
    .description('documents as Extended JSON, one per line'), async () => (await dbs()).query, { json: true });
  platformCommand(db.command('uri').argument('[database]').option('--app <app>').description('the URI with credentials, for your own client'), async () => (await dbs()).uri, { json: true });
  platformCommand(db.command('bind').argument('<choice>', 'auto, none, or a database\'s name or id').option('--app <app>').description('which database the app gets (a deployed app is redeployed)'), async () => (await dbs()).bind);

  program.command('completion').argument('<shell>', 'bash, zsh or fish').description('print a shell completion script').action(async (shell: string) => {
    const code = await runAction(async () => (await import('./commands/completion.js')).completion(shell, program));
    throw new CommanderError(code, 'fp.done', '');
  });
  return program;
}

/** Parses and runs; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitCodes.ok;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'fp.done') return error.exitCode;
    if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) return exitCodes.ok;
    // commander printed the problem already.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
}
