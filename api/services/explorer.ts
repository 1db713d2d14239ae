/**
 * The database explorer: a user's databases, their collections with counts and sizes, and documents
 * page by page, always through the database's own credentials. Documents travel as relaxed Extended
 * JSON, so ObjectIds, dates and decimals survive the round trip. A query is a JSON filter, sort and
 * projection (code-running operators refused, query-guard.ts), bounded by `maxTimeMS` and by a page of
 * at most 100 documents and 4 MiB. One server cursor serves all of a query's pages (`getMore`): FerretDB
 * scans the whole collection for any filter but an exact `_id`, so re-running the query per page would
 * cost a scan each. Cursors are this process's, expire after five idle minutes, and are the owner's alone.
 * Writes (delete a document, drop a collection) need the caller to confirm.
 */
import { randomBytes } from 'node:crypto';
import { MongoServerError, type Document, type FindCursor, type MongoClient } from 'mongodb';
import type { DatabaseDoc } from '../db/documents.js';
import { InputError, NotFoundError, UnavailableError } from '../errors.js';
import type { DatabaseService } from './databases.js';
import { parseQueryObject, toExtendedJson } from './extended-json.js';

export const maxPageSize = 100;
const maxPageBytes = 4 * 1024 * 1024;
export const defaultQueryTimeMs = 5000;
const cursorIdleMs = 5 * 60_000;
const collectionPattern = /^[^$\0][^\0]{0,119}$/;

export interface QueryInput {
  readonly filter?: string | undefined;
  readonly sort?: string | undefined;
  readonly projection?: string | undefined;
  readonly pageSize?: number | undefined;
}

export interface Page {
  /** Relaxed Extended JSON documents. */
  readonly documents: unknown[];
  /** Pass to nextPage for the following documents; null at the end. */
  readonly cursor: string | null;
}

interface OpenCursor {
  readonly ownerId: string;
  readonly cursor: FindCursor<Document>;
  readonly release: () => Promise<void>;
  readonly pageSize: number;
  pending: Document | null;
  timer: NodeJS.Timeout;
}

function serverError(error: unknown, queryTimeMs = defaultQueryTimeMs): never {
  if (error instanceof MongoServerError) {
    if (error.code === 50 || error.codeName === 'MaxTimeMSExpired') {
      throw new InputError(`The query took longer than ${queryTimeMs / 1000} s and was stopped; narrow the filter (an exact _id is fastest).`, { details: { code: 'query-timeout' } });
    }
    // The server refused the query itself (an unknown operator, a bad regex): the user's to fix.
    if (error.code !== undefined && error.code !== 13 && error.code !== 18) throw new InputError(`The database refused the query: ${error.message}`, { details: { code: error.codeName ?? error.code } });
  }
  throw new UnavailableError(`The database did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export class ExplorerService {
  private readonly cursors = new Map<string, OpenCursor>();

  constructor(private readonly databases: DatabaseService, private readonly queryTimeMs = defaultQueryTimeMs) {}

  private async within<T>(doc: DatabaseDoc, work: (client: MongoClient) => Promise<T>): Promise<T> {
    try {
      return await this.databases.withClient(doc, work);
    } catch (error) {
      if (error instanceof InputError || error instanceof NotFoundError) throw error;
      return serverError(error);
    }
  }

  private static collection(name: string): string {
    if (!collectionPattern.test(name) || name.startsWith('system.')) throw new NotFoundError('No such collection.');
    return name;
  }

  async collections(ownerId: string, databaseId: string): Promise<{ name: string; count: number; sizeBytes: number | null }[]> {
    const doc = await this.databases.owned(ownerId, databaseId);
    return this.within(doc, async (client) => {
      const db = client.db(doc.dbName);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
      return Promise.all(names.map(async (name) => {
        const stats = await db.command({ collStats: name }).catch(() => null) as { count?: number; size?: number; totalSize?: number } | null;
        return { name, count: stats?.count ?? await db.collection(name).estimatedDocumentCount(), sizeBytes: stats?.totalSize ?? stats?.size ?? null };
      }));
    });
  }

  /** The first page of a query, and a cursor for the rest. */
  async find(ownerId: string, databaseId: string, collection: string, query: QueryInput): Promise<Page> {
    const doc = await this.databases.owned(ownerId, databaseId);
    const name = ExplorerService.collection(collection);
    const filter = parseQueryObject(query.filter, 'filter');
    const sort = parseQueryObject(query.sort, 'sort');
    const projection = parseQueryObject(query.projection, 'projection');
    const pageSize = Math.min(Math.max(query.pageSize ?? 20, 1), maxPageSize);
    let lease: Awaited<ReturnType<DatabaseService['lease']>>;
    try {
      lease = await this.databases.lease(doc);
    } catch (error) {
      return serverError(error);
    }
    const cursor = lease.client.db(doc.dbName).collection(name).find(filter, { sort, projection, batchSize: pageSize, maxTimeMS: this.queryTimeMs, useBigInt64: true });
    const open: OpenCursor = { ownerId, cursor, release: lease.release, pageSize, pending: null, timer: setTimeout(() => {}, 0) };
    const id = randomBytes(18).toString('base64url');
    this.cursors.set(id, open);
    return this.page(id, open);
  }

  /** The next page of a query the caller started. */
  async nextPage(ownerId: string, cursorId: string): Promise<Page> {
    const open = this.cursors.get(cursorId);
    if (!open || open.ownerId !== ownerId) throw new NotFoundError('No such cursor: it ended, expired after five idle minutes, or is not yours; run the query again.');
    return this.page(cursorId, open);
  }

  private async page(id: string, open: OpenCursor): Promise<Page> {
    clearTimeout(open.timer);
    const documents: unknown[] = [];
    let bytes = 0;
    try {
      while (documents.length < open.pageSize) {
        const next = open.pending ?? await open.cursor.next();
        open.pending = null;
        if (!next) break;
        const json = toExtendedJson(next);
        const size = JSON.stringify(json).length;
        if (documents.length > 0 && bytes + size > maxPageBytes) {
          open.pending = next;
          break;
        }
        documents.push(json);
        bytes += size;
      }
    } catch (error) {
      await this.closeCursor(id);
      return serverError(error, this.queryTimeMs);
    }
    const more = open.pending !== null || (documents.length === open.pageSize && await open.cursor.hasNext().catch(() => false));
    if (!more) {
      await this.closeCursor(id);
      return { documents, cursor: null };
    }
    open.timer = setTimeout(() => void this.closeCursor(id), cursorIdleMs);
    open.timer.unref();
    return { documents, cursor: id };
  }

  private async closeCursor(id: string): Promise<void> {
    const open = this.cursors.get(id);
    if (!open) return;
    this.cursors.delete(id);
    clearTimeout(open.timer);
    await open.cursor.close().catch(() => {});
    await open.release().catch(() => {});
  }

  async deleteDocument(ownerId: string, databaseId: string, collection: string, idJson: string): Promise<void> {
    const doc = await this.databases.owned(ownerId, databaseId);
    const name = ExplorerService.collection(collection);
    const filter = parseQueryObject(`{"_id": ${idJson}}`, 'id');
    const deleted = await this.within(doc, (client) => client.db(doc.dbName).collection(name).deleteOne(filter));
    if (deleted.deletedCount === 0) throw new NotFoundError('No such document.');
  }

  async dropCollection(ownerId: string, databaseId: string, collection: string, confirm: string): Promise<void> {
    const doc = await this.databases.owned(ownerId, databaseId);
    const name = ExplorerService.collection(collection);
    if (confirm !== name) throw new InputError(`Type the collection's name ("${name}") to confirm dropping it and every document in it.`, { details: { issues: [{ path: 'query.confirm', message: `type "${name}"` }] } });
    const dropped = await this.within(doc, (client) => client.db(doc.dbName).collection(name).drop().catch((error: unknown) => {
      if (error instanceof MongoServerError && error.codeName === 'NamespaceNotFound') return false;
      throw error;
    }));
    if (dropped === false) throw new NotFoundError('No such collection.');
  }

  /** Every document of a collection as JSON lines (relaxed Extended JSON), streamed. */
  async *exportLines(ownerId: string, databaseId: string, collection: string): AsyncGenerator<string> {
    const doc = await this.databases.owned(ownerId, databaseId);
    const name = ExplorerService.collection(collection);
    const lease = await this.databases.lease(doc).catch(serverError);
    try {
      const cursor = lease.client.db(doc.dbName).collection(name).find({}, { batchSize: 500, useBigInt64: true });
      for await (const document of cursor) yield `${JSON.stringify(toExtendedJson(document))}\n`;
    } finally {
      await lease.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.cursors.keys()].map((id) => this.closeCursor(id)));
  }
}
