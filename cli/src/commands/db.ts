/**
 * fp db: your databases and the explorer's read-only queries, through the platform's API.
 *   fp db                      the linked app's database (which one it gets, its size, its collections)
 *   fp db list                 your databases
 *   fp db collections [db]     a database's collections with counts and sizes
 *   fp db query <collection>   documents (a JSON --filter, --sort, --limit; Extended JSON out)
 *   fp db uri [db]             the URI and credentials, for a client of your own (printed on request only)
 *   fp db bind <auto|none|db>  which database the app gets as PLATFORM_MONGO_URI
 * A database is named by its name or id; without one, the app's database, or your default one.
 */
import type { DatabaseInfo } from '../../../contract/index.js';
import { resolveApp } from '../apps.js';
import { output, session, type GlobalOptions, type Session } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { json, table } from '../output.js';

type Options = GlobalOptions & { app?: string; filter?: string; sort?: string; limit?: number };

function size(bytes: number | null): string {
  if (bytes === null) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

async function databaseOf(s: Session, ref: string | undefined, options: Options): Promise<DatabaseInfo> {
  const { databases } = await s.api.listDatabases({});
  if (ref) {
    const found = databases.find((d) => d.id === ref || d.name === ref.toLowerCase());
    if (!found) throw new CliError(`You have no database named "${ref}".`, exitCodes.notFound, `Yours: ${databases.map((d) => d.name).join(', ') || 'none'} (fp db list).`);
    return found;
  }
  // The linked app's database when there is one, else the default.
  const app = await resolveApp(s, options.app).catch(() => null);
  if (app) {
    const detail = await s.api.getApp({ params: { appId: app.id } });
    if (detail.database.mode === 'bound') {
      const bound = databases.find((d) => d.id === (detail.database as { databaseId: string }).databaseId);
      if (bound) return bound;
    }
  }
  const fallback = databases.find((d) => d.isDefault) ?? databases[0];
  if (!fallback) throw new CliError('This platform offers no databases.', exitCodes.notFound);
  return fallback;
}

export async function info(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const app = await resolveApp(s, options.app);
  const detail = await s.api.getApp({ params: { appId: app.id } });
  const binding = detail.database;
  const database = binding.mode === 'none' ? null : await databaseOf(s, binding.mode === 'bound' ? binding.databaseId : undefined, options);
  const collections = database ? (await s.api.listCollections({ params: { databaseId: database.id } })).collections : [];
  if (out.json) return json(out.out, { app: { id: app.id, name: app.name }, binding, database, collections });
  const mode = binding.mode === 'none' ? 'no database' : binding.mode === 'auto' ? 'your default database, when its code reads PLATFORM_MONGO_URI' : 'a database chosen for it';
  out.line(`${app.name} gets ${mode}.`);
  if (!database) return;
  out.line(`${database.name} (${database.dbName}), ${size(database.sizeBytes)}`);
  if (collections.length === 0) return out.line('No collections yet.');
  out.line(table([['COLLECTION', 'DOCUMENTS', 'SIZE'].map((h) => out.paint('dim', h)), ...collections.map((c) => [c.name, String(c.count), size(c.sizeBytes)])]));
}

export async function list(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const { databases } = await s.api.listDatabases({});
  if (out.json) return json(out.out, { databases });
  out.line(table([['NAME', 'SIZE', 'APPS', 'ID'].map((h) => out.paint('dim', h)),
    ...databases.map((d) => [`${d.name}${d.isDefault ? ' (default)' : ''}`, size(d.sizeBytes), d.apps.map((a) => a.name).join(', ') || '-', d.id])]));
}

export async function collections(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const database = await databaseOf(s, args[0], options);
  const listed = (await s.api.listCollections({ params: { databaseId: database.id } })).collections;
  if (out.json) return json(out.out, { database: database.name, collections: listed });
  if (listed.length === 0) return out.line(`${database.name} has no collections yet.`);
  out.line(table([['COLLECTION', 'DOCUMENTS', 'SIZE'].map((h) => out.paint('dim', h)), ...listed.map((c) => [c.name, String(c.count), size(c.sizeBytes)])]));
}

export async function query(args: string[], options: Options & { db?: string }): Promise<void> {
  const out = output(options);
  const [collection] = args;
  if (!collection) throw new CliError('Which collection? fp db query <collection> [--filter JSON].', exitCodes.usage);
  const s = await session(options);
  const database = await databaseOf(s, options.db, options);
  const limit = options.limit ?? 20;
  const documents: unknown[] = [];
  let page = await s.api.queryCollection({
    params: { databaseId: database.id, collection },
    body: { pageSize: Math.min(limit, 100), ...(options.filter ? { filter: options.filter } : {}), ...(options.sort ? { sort: options.sort } : {}) },
  });
  documents.push(...page.documents);
  while (page.cursor && documents.length < limit) {
    page = await s.api.nextPage({ params: { databaseId: database.id, cursor: page.cursor } });
    documents.push(...page.documents);
  }
  const shown = documents.slice(0, limit);
  if (out.json) return json(out.out, { database: database.name, collection, documents: shown, more: documents.length > limit || page.cursor !== null });
  for (const document of shown) out.line(JSON.stringify(document));
  if (documents.length > limit || page.cursor) out.err.write(`(more: --limit ${limit * 2} shows more)\n`);
}

export async function uri(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const database = await databaseOf(s, args[0], options);
  const credentials = await s.api.databaseCredentials({ params: { databaseId: database.id } });
  if (out.json) return json(out.out, credentials);
  out.line(credentials.uri);
}

export async function bind(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const [choice] = args;
  if (!choice) throw new CliError('Bind to what? fp db bind auto|none|<database>.', exitCodes.usage);
  const s = await session(options);
  const app = await resolveApp(s, options.app);
  const body = choice === 'auto' || choice === 'none' ? { mode: choice } as const : { mode: 'bound' as const, databaseId: (await databaseOf(s, choice, options)).id };
  const result = await s.api.bindDatabase({ params: { appId: app.id }, body });
  if (out.json) return json(out.out, result);
  out.line(`${app.name} now gets ${choice === 'none' ? 'no database' : choice === 'auto' ? 'your default database when its code reads PLATFORM_MONGO_URI' : `the database ${choice}`}${result.redeployed ? '; it is being redeployed' : ''}.`);
}
