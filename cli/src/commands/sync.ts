/**
 * fp push, pull, deploy and clone: the project's files against the app's draft. The draft revision in
 * .fp/state.json makes conflicts visible both ways: a push based on an older revision is refused (the
 * draft was edited elsewhere, e.g. in the browser) unless --force; a pull takes the platform's version
 * of a file only where you did not change it since the last sync, and asks (or refuses) otherwise.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../../contract/index.js';
import { resolveApp } from '../apps.js';
import { ApiError, output, session, type GlobalOptions, type Output, type Session } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { errorsOf, findingLine } from '../findings.js';
import {
  asText, collectFiles, exists, findProject, hashes, hashOf, readState, requireProject, writeFiles, writeProjectFile, writeState, type Project,
} from '../project.js';
import { followRollout } from '../rollout.js';
import { validateLocally } from './project.js';

type Options = GlobalOptions & { force?: boolean; validate?: boolean; as?: string };

interface Pushed {
  readonly appId: string;
  readonly revision: number;
  readonly created: boolean;
  readonly unchanged: boolean;
  readonly findings: readonly Finding[];
}

const list = (paths: readonly string[]) => (paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', '));

/** Saves the files as the app's draft on top of the last synced revision; creates and links the app the first time. */
async function pushFiles(s: Session, project: Project, files: Record<string, string>, force: boolean, out: Output): Promise<Pushed> {
  const { dir, file } = project;
  if (!file.app_id) {
    const app = await s.api.createApp({ body: { name: file.name, files, entrypoint: file.entrypoint }, headers: { 'idempotency-key': randomUUID() } });
    await writeProjectFile(dir, { ...file, app_id: app.id });
    await writeState(dir, { appId: app.id, url: s.platform.url, revision: app.draftRevision, hashes: hashes(files) });
    out.note(`Created the app ${app.name} (${app.id}) and linked this project to it in .fp.yaml.`);
    return { appId: app.id, revision: app.draftRevision, created: true, unchanged: false, findings: [] };
  }
  const appId = file.app_id;
  const state = await readState(dir);
  const synced = state?.appId === appId ? state : undefined;
  if (synced && JSON.stringify(synced.hashes) === JSON.stringify(hashes(files)) && !force) {
    return { appId, revision: synced.revision, created: false, unchanged: true, findings: [] };
  }
  let base = synced?.revision;
  if (base === undefined) {
    const draft = await s.api.getDraft({ params: { appId } });
    if (!force && JSON.stringify(hashes(draft.files)) !== JSON.stringify(hashes(files))) {
      throw new CliError(`This folder was never pulled from or pushed to ${file.name}, and its files differ from the app's draft (revision ${draft.revision}).`, exitCodes.conflict,
        'Run `fp pull` to merge the draft in, or `fp push --force` to replace it with these files.');
    }
    base = draft.revision;
  }
  try {
    const saved = await s.api.saveDraft({ params: { appId }, body: { revision: base, files, entrypoint: file.entrypoint } });
    await writeState(dir, { appId, url: s.platform.url, revision: saved.revision, hashes: hashes(files) });
    return { appId, revision: saved.revision, created: false, unchanged: false, findings: saved.findings };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    const current = await s.api.getDraft({ params: { appId } });
    if (!force) {
      throw new CliError(`The draft of ${file.name} changed on the platform since your last pull or push (it is at revision ${current.revision}; you are based on ${base}). Pushing would overwrite that edit.`,
        exitCodes.conflict, 'Run `fp pull` to bring the edit here (your own edits are kept), then push again; or `fp push --force` to overwrite it.');
    }
    const saved = await s.api.saveDraft({ params: { appId }, body: { revision: current.revision, files, entrypoint: file.entrypoint } });
    await writeState(dir, { appId, url: s.platform.url, revision: saved.revision, hashes: hashes(files) });
    return { appId, revision: saved.revision, created: false, unchanged: false, findings: saved.findings };
  }
}

export async function push(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const project = await requireProject();
  const s = await session(options);
  const pushed = await pushFiles(s, project, asText(await collectFiles(project.dir)), Boolean(options.force), out);
  for (const f of pushed.findings) out.note(findingLine(f, out.paintErr));
  if (pushed.unchanged) return out.line(`Nothing to push: the draft of ${project.file.name} (revision ${pushed.revision}) already has these files.`);
  out.line(`Saved the draft of ${project.file.name}: revision ${pushed.revision}.${errorsOf(pushed.findings).length ? ' It will not deploy until the errors above are fixed.' : ''}`);
}

async function ask(out: Output, question: string): Promise<boolean> {
  if (!out.interactive) return false;
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({ message: question, initialValue: false, output: out.err });
  return !isCancel(answer) && answer === true;
}

export async function pull(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const found = await findProject();
  if (args[0] && !found?.file.app_id) return fetchInto(s, args[0], process.cwd(), out, Boolean(options.force));
  const project = found ?? (await requireProject());
  const appId = (await resolveApp(s, args[0])).id;
  if (project.file.app_id && project.file.app_id !== appId) {
    throw new CliError(`This project is linked to ${project.file.app_id}, not ${appId}.`, exitCodes.usage, 'Pull the linked app with `fp pull`, or `fp clone` the other one into its own folder.');
  }
  const [draft, state, local] = await Promise.all([s.api.getDraft({ params: { appId } }), readState(project.dir), collectFiles(project.dir)]);
  const synced = state?.appId === appId ? state : undefined;
  if (synced?.revision === draft.revision) return out.line(`Already up to date (revision ${draft.revision}).`);
  const base = synced?.hashes ?? {};
  const take: string[] = [];
  const kept: string[] = [];
  const conflicts: string[] = [];
  for (const path of new Set([...Object.keys(local), ...Object.keys(draft.files), ...Object.keys(base)])) {
    const l = local[path] ? hashOf(local[path]) : undefined;
    const r = draft.files[path] !== undefined ? hashOf(draft.files[path]) : undefined;
    if (l === r) continue;
    if (l === base[path]) take.push(path);
    else if (r === base[path]) kept.push(path);
    else conflicts.push(path);
  }
  if (conflicts.length > 0) {
    const question = `Your unpushed edits to ${list(conflicts)} differ from the platform's draft (revision ${draft.revision}). Overwrite them with the platform's?`;
    if (!options.force && !(await ask(out, question))) {
      throw new CliError(`Pulling would overwrite your unpushed edits to ${list(conflicts)}; nothing was changed.`, exitCodes.conflict,
        'Push them first (`fp push`, which refuses if the draft moved: then decide), copy them aside, or `fp pull --force` to take the platform\'s.');
    }
    take.push(...conflicts);
  }
  const written: Record<string, string> = {};
  for (const path of take) {
    const content = draft.files[path];
    if (content === undefined) await rm(join(project.dir, path), { force: true });
    else written[path] = content;
  }
  await writeFiles(project.dir, written);
  if (draft.entrypoint !== project.file.entrypoint || !project.file.app_id) await writeProjectFile(project.dir, { ...project.file, entrypoint: draft.entrypoint, app_id: appId });
  await writeState(project.dir, { appId, url: s.platform.url, revision: draft.revision, hashes: hashes(draft.files) });
  out.line(`Pulled revision ${draft.revision} of ${project.file.name}: ${take.length ? `updated ${list(take)}` : 'no file changed'}${kept.length ? `; kept your edits to ${list(kept)} (push them when ready)` : ''}.`);
}

/** Writes an app's draft into `dir` and links it; refuses to overwrite different files there unless forced. */
async function fetchInto(s: Session, ref: string, dir: string, out: Output, force: boolean): Promise<void> {
  const app = await s.api.getApp({ params: { appId: (await resolveApp(s, ref)).id } });
  const local = await collectFiles(dir).catch(() => ({} as Record<string, Buffer>));
  const clashes = Object.keys(app.draft.files).filter((p) => local[p] && hashOf(local[p]) !== hashOf(app.draft.files[p] ?? ''));
  if (clashes.length > 0 && !force) {
    throw new CliError(`${dir} already has different ${list(clashes)}; nothing was changed.`, exitCodes.conflict, 'Use an empty folder (`fp clone`), or --force to overwrite them.');
  }
  await writeFiles(dir, app.draft.files);
  await writeProjectFile(dir, { name: app.name, entrypoint: app.draft.entrypoint, app_id: app.id });
  await writeState(dir, { appId: app.id, url: s.platform.url, revision: app.draft.revision, hashes: hashes(app.draft.files) });
  out.line(`Fetched ${app.name} (${app.id}, revision ${app.draft.revision}, ${Object.keys(app.draft.files).length} files) into ${dir}.`);
}

export async function clone(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  let ref = args[0] ?? '';
  if (options.as) {
    const copy = await s.api.cloneApp({ params: { appId: (await resolveApp(s, ref)).id }, body: { name: options.as } });
    out.note(`Copied it on the platform as ${copy.name} (${copy.id}).`);
    ref = copy.id;
  }
  const app = await s.api.getApp({ params: { appId: (await resolveApp(s, ref)).id } });
  const dir = args[1] ?? (app.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || app.id);
  if ((await exists(dir)) && (await readdir(dir)).length > 0) throw new CliError(`${dir} exists and is not empty.`, exitCodes.conflict, 'Name another folder: fp clone <app> <dir>.');
  await fetchInto(s, app.id, dir, out, false);
}

export async function deploy(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const project = await requireProject();
  const raw = await collectFiles(project.dir);
  if (options.validate !== false) {
    const result = await validateLocally(raw, project.file.entrypoint);
    for (const f of result.findings) out.note(findingLine(f, out.paintErr));
    const errors = errorsOf(result.findings);
    if (errors.length > 0) {
      throw new CliError(`${errors.length} problem${errors.length === 1 ? '' : 's'} to fix first (${errors[0]?.file}:${errors[0]?.line}); nothing was pushed or deployed.`, exitCodes.deployFailed);
    }
  }
  const s = await session(options);
  const pushed = await pushFiles(s, project, asText(raw), Boolean(options.force), out);
  let result;
  try {
    result = await s.api.deploy({ params: { appId: pushed.appId }, body: { draftRevision: pushed.revision } });
  } catch (error) {
    const findings = (error instanceof ApiError ? (error.details as { findings?: Finding[] } | null)?.findings : undefined) ?? [];
    if (findings.length === 0) throw error;
    for (const f of findings) out.note(findingLine(f, out.paintErr));
    throw new CliError(`${(error as ApiError).message} Nothing was deployed.`, exitCodes.deployFailed);
  }
  const app = await s.api.getApp({ params: { appId: pushed.appId } });
  if (!result.changed && result.status.phase === 'running') {
    out.line(`Version ${result.version} already runs this code.`);
  } else {
    await followRollout(s.api, pushed.appId, result.version, out);
  }
  out.line(app.url);
  if (app.framework === 'fastapi') out.note(out.paintErr('dim', `API docs: ${app.url.replace(/\/$/, '')}/docs`));
}
