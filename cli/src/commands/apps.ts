/** fp list, status, open, delete, versions, rollback. */
import { resolveApp } from '../apps.js';
import { canOpenBrowser, openBrowser } from '../browser.js';
import { output, session, type GlobalOptions, type Output } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { ago, json, table, type Paint } from '../output.js';
import { followRollout } from '../rollout.js';

type Options = GlobalOptions & { search?: string; status?: 'draft' | 'deploying' | 'running' | 'failed'; print?: boolean; yes?: boolean };

const phaseStyle = { running: 'green', failed: 'red', deploying: 'yellow', draft: 'dim' } as const;
const phase = (paint: Paint, p: keyof typeof phaseStyle) => paint(phaseStyle[p], p);

export async function list(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const apps = [];
  let cursor: string | undefined;
  do {
    const page = await s.api.listApps({ query: { limit: 100, ...(options.search ? { search: options.search } : {}), ...(options.status ? { status: options.status } : {}), ...(cursor ? { cursor } : {}) } });
    apps.push(...page.apps);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (out.json) return json(out.out, { apps });
  if (apps.length === 0) return out.line(options.search || options.status ? 'No app matches.' : 'No apps yet: `fp init` and `fp deploy` make one.');
  out.line(table([
    ['NAME', 'ID', 'LANGUAGE', 'STATUS', 'VERSION', 'URL', 'UPDATED'].map((h) => out.paint('dim', h)),
    ...apps.map((a) => [a.name, a.id, a.language, phase(out.paint, a.status.phase) + (a.hasUnpublishedChanges ? '*' : ''), a.status.version ? `v${a.status.version}` : '-', a.url, ago(a.updatedAt)]),
  ]));
  if (apps.some((a) => a.hasUnpublishedChanges)) out.line(out.paint('dim', '* the draft has changes that are not deployed'));
}

export async function status(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const ref = await resolveApp(s, args[0]);
  const [app, runtime] = await Promise.all([s.api.getApp({ params: { appId: ref.id } }), s.api.runtimeStatus({ params: { appId: ref.id } })]);
  if (out.json) {
    const { draft, ...summary } = app;
    return json(out.out, { app: { ...summary, draft: { revision: draft.revision, entrypoint: draft.entrypoint, updatedAt: draft.updatedAt, files: Object.keys(draft.files) } }, runtime });
  }
  const where = app.status.file ? ` (${app.status.file}${app.status.line ? `:${app.status.line}` : ''})` : '';
  out.line(`${out.paint('bold', app.name)}  ${app.id}`);
  out.line(`status    ${phase(out.paint, app.status.phase)}${app.status.version ? `, version ${app.status.version}` : ''}${app.status.message ? `: ${app.status.message}${where}` : ''}`);
  out.line(`runtime   ${runtime.phase}${runtime.servingVersion ? `, serving version ${runtime.servingVersion}` : ''}${runtime.message ? ` (${runtime.message})` : ''}`);
  out.line(`url       ${app.url}`);
  out.line(`draft     revision ${app.draft.revision}, ${Object.keys(app.draft.files).length} files${app.hasUnpublishedChanges ? ', not deployed yet' : ''}`);
  out.line(`language  ${app.language}, framework ${app.framework ?? 'unknown'}; env: ${app.env.length} variables; updated ${ago(app.updatedAt)}`);
}

export async function open(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const app = await s.api.getApp({ params: { appId: (await resolveApp(s, args[0])).id } });
  if (options.print || !canOpenBrowser() || !(await openBrowser(app.url))) return out.line(app.url);
  out.note(`Opened ${app.url}`);
}

async function confirm(out: Output, question: string): Promise<boolean> {
  const { confirm: ask, isCancel } = await import('@clack/prompts');
  const answer = await ask({ message: question, initialValue: false, output: out.err });
  return !isCancel(answer) && answer === true;
}

export async function remove(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const ref = await resolveApp(s, args[0]);
  if (!options.yes) {
    if (!out.interactive) throw new CliError(`Deleting ${ref.name} needs --yes when nobody can be asked.`, exitCodes.usage);
    if (!(await confirm(out, `Delete ${ref.name} (${ref.id}) and everything it runs? This cannot be undone.`))) {
      throw new CliError('Not deleted.', exitCodes.interrupted);
    }
  }
  await s.api.deleteApp({ params: { appId: ref.id } });
  out.line(`Deleted ${ref.name} (${ref.id}).`);
}

export async function versions(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const ref = await resolveApp(s, args[0]);
  const { versions: list } = await s.api.listVersions({ params: { appId: ref.id } });
  if (out.json) return json(out.out, { versions: list });
  if (list.length === 0) return out.line(`${ref.name} has no versions yet: \`fp deploy\` makes the first.`);
  out.line(table([
    ['VERSION', 'CREATED', 'SOURCE', 'FILES', ''].map((h) => out.paint('dim', h)),
    ...list.map((v) => [`v${v.number}`, ago(v.createdAt), v.source === 'rollback' ? `rollback of v${v.rolledBackFrom}` : 'deploy', String(v.paths.length), v.deployed ? out.paint('green', 'live') : '']),
  ]));
}

export async function rollback(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const number = Number(args[0]);
  if (!Number.isInteger(number) || number < 1) throw new CliError(`"${args[0]}" is not a version number; see \`fp versions\`.`, exitCodes.usage);
  const s = await session(options);
  const ref = await resolveApp(s, args[1]);
  const result = await s.api.rollback({ params: { appId: ref.id }, body: { version: number } });
  if (!result.changed) return out.line(`Version ${result.version} already runs the files of version ${number}; nothing to roll back.`);
  await followRollout(s.api, ref.id, result.version, out);
  out.line(`Rolled back ${ref.name}: version ${result.version} runs the files of version ${number}.`);
}
