/**
 * fp dev: runs the project on this machine with the platform's own runner (runner/entrypoint.py: the
 * same app discovery, probe path, static mount and environment contract as a deployed app), listening
 * on FP_LISTEN=tcp:<host>:<port>, and restarts it when a project file changes. It needs a Python with
 * the runner's packages, and says how to get them when it has none. A TypeScript project (its entrypoint
 * says so) runs on the Node runner (runner-node/) with this Node instead, from a checkout of the platform
 * whose set-up installed the runner's packages. It runs unsandboxed, as you.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defaultAllowedExtensions, extensionOf, languageOf } from '../../../validation/index.js';
import { output, type GlobalOptions, type Output } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { requireProject, type Project } from '../project.js';

type Options = GlobalOptions & { port?: string; host?: string; python?: string; reload?: boolean };

/** The runner beside the bundle (dist/runner), or the repository's when run from source. */
function runnerDir(): string {
  for (const candidate of ['../runner/', '../../../runner/', '../../runner/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, 'entrypoint.py'))) return dir;
  }
  throw new CliError('The runner is missing from this installation of fp (runner/entrypoint.py); reinstall fp.');
}

/**
 * The Node runner's bundle with its pinned packages beside it (runner-node/dist and node_modules, which
 * `scripts/setup.sh noderunner` makes in a checkout). An installed fp does not carry those packages yet.
 */
function nodeRunner(): string {
  for (const candidate of ['../../../runner-node/', '../../../../runner-node/', '../../runner-node/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, 'dist', 'main.mjs')) && existsSync(join(dir, 'node_modules', 'hono'))) return join(dir, 'dist', 'main.mjs');
  }
  throw new CliError(
    'fp dev runs TypeScript apps with the platform\'s Node runner and its pinned packages (hono, zod, mongodb, …), which this installation of fp does not have.',
    exitCodes.usage,
    'Run fp from a checkout of the platform after `bash scripts/setup.sh noderunner`, or deploy and watch it with `fp deploy` and `fp logs --follow`.',
  );
}

export const runnerVenv = () => join(homedir(), '.fp', 'runner-venv');

/** The first Python that has the runner's packages: --python, FP_PYTHON, the project's .venv, ~/.fp/runner-venv, python3.11, python3. */
function findPython(project: Project, wanted: string | undefined): { python: string; version: string } {
  const candidates = wanted ? [wanted] : [
    process.env.FP_PYTHON, join(project.dir, '.venv', 'bin', 'python'), join(runnerVenv(), 'bin', 'python'), 'python3.11', 'python3',
  ].filter((c): c is string => Boolean(c));
  const tried: string[] = [];
  for (const python of candidates) {
    if (python.includes('/') && !existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', 'import sys, fastapi, uvicorn, starlette; print(sys.version.split()[0])'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
    tried.push(python);
  }
  const requirements = join(runnerDir(), 'requirements.txt');
  throw new CliError(
    `fp dev needs Python 3.11 with the runner's packages (fastapi, uvicorn, python-fasthtml, … as the platform runs them)${tried.length ? `; ${tried.join(', ')} ${tried.length === 1 ? 'lacks' : 'lack'} them` : ''}.`,
    exitCodes.failure,
    `Create them once (fp finds this venv by itself):\n  python3.11 -m venv ${runnerVenv()} && ${join(runnerVenv(), 'bin', 'pip')} install -r ${requirements}\nor point --python (or FP_PYTHON) at a Python that has them.`,
  );
}

/** The app's environment: yours, the project's env (with ${VAR} from yours), the runner contract; never fp's own tokens. */
function appEnv(project: Project, listen: string, scratch: string): NodeJS.ProcessEnv {
  const own = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FP_')));
  const fromProject = Object.fromEntries(Object.entries(project.file.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? '')]));
  const database = project.file.database ? { PLATFORM_MONGO_URI: process.env.PLATFORM_MONGO_URI ?? 'mongodb://localhost:27017/dev' } : {};
  return {
    ...own, ...fromProject, ...database,
    CODE_DIR: project.dir, ENTRYPOINT: project.file.entrypoint, APP_ID: 'dev', FP_LISTEN: listen,
    FP_TERMINATION_LOG: join(scratch, 'termination-log'), TMPDIR: scratch, PYTHONUNBUFFERED: '1', FP_GRACEFUL_SECONDS: '2',
  };
}

interface RunnerLine {
  fp: string;
  listen?: string;
  host?: string;
  port?: number;
  type?: string;
  message?: string;
  file?: string | null;
  line?: number | null;
  traceback?: string;
  method?: string;
  path?: string;
}

function describe(line: RunnerLine, out: Output, url: string): string | undefined {
  const where = line.file ? ` (${line.file}${line.line ? `:${line.line}` : ''})` : '';
  if (line.fp === 'listening') return out.paintErr('green', `Serving at ${url} — edit and save to reload, Ctrl-C to stop.`);
  if (line.fp === 'start-failed') return `${out.paintErr('red', 'The app did not start:')} ${line.type}: ${line.message}${where}. Fix it and save; fp dev restarts it.`;
  if (line.fp === 'request-exception') return `${out.paintErr('red', `${line.method} ${line.path} raised`)} ${line.type}: ${line.message}${where}\n${out.paintErr('dim', (line.traceback ?? '').trimEnd())}`;
  return undefined;
}

export async function dev(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const project = await requireProject();
  const port = Number(options.port ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port takes a port number, not "${options.port}".`, exitCodes.usage);
  const host = options.host ?? '127.0.0.1';
  // The command that runs the project: the language's runner, as the platform runs it.
  let command: [string, string[]];
  if (languageOf({ entrypoint: project.file.entrypoint }) === 'typescript') {
    command = [process.execPath, ['--enable-source-maps', nodeRunner()]];
    out.note(`${project.file.name}: ${project.file.entrypoint} with the platform's Node runner (Node ${process.versions.node}).`);
  } else {
    const { python, version } = findPython(project, options.python);
    command = [python, [join(runnerDir(), 'entrypoint.py')]];
    out.note(`${project.file.name}: ${project.file.entrypoint} with the platform's runner (Python ${version}, ${python}).`);
  }
  const scratch = await mkdtemp(join(tmpdir(), 'fp-dev-'));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let child: ChildProcess | undefined;
  const start = () => {
    const proc = spawn(command[0], command[1], { cwd: project.dir, env: appEnv(project, `tcp:${host}:${port}`, scratch), stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.pipe(process.stdout, { end: false });
    createInterface({ input: proc.stderr! }).on('line', (text) => {
      if (text.startsWith('{"fp"')) {
        try {
          const said = describe(JSON.parse(text) as RunnerLine, out, url);
          if (said) out.note(said);
          return;
        } catch {
          // Not one of the runner's lines after all: print it as it is.
        }
      }
      out.err.write(`${text}\n`);
    });
  };
  const stop = (proc: ChildProcess | undefined) => new Promise<void>((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });

  // Ctrl-C is how fp dev is meant to end: stop the runner first, then exit 0.
  process.removeAllListeners('SIGINT');
  process.once('SIGINT', () => void stop(child).then(() => process.exit(exitCodes.ok)));
  process.once('SIGTERM', () => void stop(child).then(() => process.exit(exitCodes.ok)));
  start();
  if (options.reload === false) {
    await new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  let restarting = Promise.resolve();
  watch(project.dir, { recursive: true }, (_event, name) => {
    const path = String(name ?? '').split('\\').join('/');
    if (!path || path.split('/').some((s) => s.startsWith('.') || s === '__pycache__')) return;
    if (path !== '.fp.yaml' && !defaultAllowedExtensions.includes(extensionOf(path))) return;
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed].join(', ');
      changed.clear();
      restarting = restarting.then(async () => {
        out.note(out.paintErr('dim', `${files} changed; restarting…`));
        await stop(child);
        start();
      });
    }, 150);
  });
  await new Promise<never>(() => undefined);
}
