/**
 * Which app a command means: an id or a name given on the command line, else the linked project's
 * (`app_id` in .fp.yaml). Names are matched exactly (ignoring case) among your apps.
 */
import type { AppSummary } from '../../contract/index.js';
import type { Session } from './context.js';
import { ApiError } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';
import { findProject } from './project.js';

export interface AppRef {
  readonly id: string;
  readonly name: string;
}

export async function resolveApp(s: Session, ref: string | undefined): Promise<AppRef> {
  if (!ref) {
    const project = await findProject();
    if (project?.file.app_id) return { id: project.file.app_id, name: project.file.name };
    throw new CliError(
      project ? `This project (${project.file.name}) is not linked to an app yet.` : 'Which app? Name one, or run this inside a project.',
      exitCodes.usage,
      project ? '`fp push` or `fp deploy` creates and links it.' : 'For example: fp status my-app (see `fp list`).',
    );
  }
  if (/^[a-z0-9]{10}$/.test(ref)) {
    try {
      const app = await s.api.getApp({ params: { appId: ref } });
      return { id: app.id, name: app.name };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
  }
  const matches: AppSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await s.api.listApps({ query: { search: ref, limit: 100, ...(cursor ? { cursor } : {}) } });
    matches.push(...page.apps.filter((a) => a.name.toLowerCase() === ref.toLowerCase()));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const [first, ...more] = matches;
  if (!first) throw new CliError(`You have no app named "${ref}".`, exitCodes.notFound, 'See `fp list`.');
  if (more.length > 0) throw new CliError(`Several of your apps are named "${ref}": ${matches.map((a) => a.id).join(', ')}.`, exitCodes.usage, 'Give the id instead.');
  return { id: first.id, name: first.name };
}
