/**
 * One database in the explorer: the database (size, credentials on request, rotate, delete), its
 * collections with counts and sizes, and the documents of the chosen collection page by page through
 * the API's server-side cursor, as relaxed Extended JSON. The filter, sort and projection are JSON
 * text; when the API refuses one (400), its sentence is kept for the field it names.
 */
import { signal } from '@preact/signals';
import { api, ApiError, type ResponseOf } from '../http/client';
import { appLoadError, errorMessage } from '../lib/errors';
import type { Credentials, Database } from './databases';

export type Collection = ResponseOf<'listCollections'>['collections'][number];
export type QueryField = 'filter' | 'sort' | 'projection';
export interface Query { filter: string; sort: string; projection: string }

const pageSize = 20;
const blankQuery: Query = { filter: '', sort: '', projection: '' };

export function createDatabaseExplorer(databaseId: string) {
  const database = signal<Database | null>(null);
  const loadError = signal<string | null>(null);
  const collections = signal<Collection[]>([]);
  const collectionsError = signal<string | null>(null);
  const collection = signal<string | null>(null);
  const query = signal<Query>(blankQuery);
  const documents = signal<unknown[]>([]);
  const cursor = signal<string | null>(null);
  const querying = signal(false);
  /** The API's sentence about the query, with the field it is about (null: the query as a whole). */
  const queryError = signal<{ field: QueryField | null; message: string } | null>(null);
  const credentials = signal<Credentials | null>(null);
  let sequence = 0;

  async function load(): Promise<void> {
    try {
      database.value = await api.getDatabase({ params: { databaseId } });
      loadError.value = null;
    } catch (e) {
      loadError.value = e instanceof ApiError && e.status === 404 ? 'There is no database at this address, or it is not yours.' : appLoadError(e);
      return;
    }
    await loadCollections();
  }

  async function loadCollections(): Promise<void> {
    try {
      collections.value = (await api.listCollections({ params: { databaseId } })).collections;
      collectionsError.value = null;
      if (collection.value && !collections.value.some((c) => c.name === collection.value)) {
        collection.value = null;
        documents.value = [];
      }
    } catch (e) {
      collectionsError.value = errorMessage(e);
    }
  }

  async function open(name: string): Promise<void> {
    collection.value = name;
    await run();
  }

  /** Runs the query from its first page. */
  async function run(): Promise<void> {
    const name = collection.value;
    if (!name) return;
    const mine = ++sequence;
    querying.value = true;
    queryError.value = null;
    const { filter, sort, projection } = query.value;
    try {
      const page = await api.queryCollection({
        params: { databaseId, collection: name },
        body: { pageSize, ...(filter.trim() ? { filter } : {}), ...(sort.trim() ? { sort } : {}), ...(projection.trim() ? { projection } : {}) },
      });
      if (mine !== sequence) return;
      documents.value = page.documents;
      cursor.value = page.cursor;
    } catch (e) {
      if (mine !== sequence) return;
      documents.value = [];
      cursor.value = null;
      const field = e instanceof ApiError ? e.fields.find((f) => ['filter', 'sort', 'projection'].includes(f.field))?.field as QueryField | undefined : undefined;
      queryError.value = { field: field ?? (e instanceof ApiError && e.status === 400 ? 'filter' : null), message: errorMessage(e) };
    } finally {
      if (mine === sequence) querying.value = false;
    }
  }

  async function more(): Promise<void> {
    const next = cursor.value;
    if (!next) return;
    const mine = sequence;
    querying.value = true;
    try {
      const page = await api.nextPage({ params: { databaseId, cursor: next } });
      if (mine !== sequence) return;
      documents.value = [...documents.value, ...page.documents];
      cursor.value = page.cursor;
    } catch (e) {
      if (mine === sequence) queryError.value = { field: null, message: errorMessage(e) };
    } finally {
      if (mine === sequence) querying.value = false;
    }
  }

  /** Deletes one document by its _id (Extended JSON); throws the API's failure for the dialog. */
  async function deleteDocument(id: unknown): Promise<void> {
    const name = collection.value;
    if (!name) return;
    await api.deleteDocument({ params: { databaseId, collection: name }, body: { id: JSON.stringify(id) } });
    documents.value = documents.value.filter((d) => JSON.stringify((d as { _id?: unknown })._id) !== JSON.stringify(id));
    void loadCollections();
  }

  async function dropCollection(name: string, confirm: string): Promise<void> {
    await api.dropCollection({ params: { databaseId, collection: name }, query: { confirm } });
    if (collection.value === name) {
      collection.value = null;
      documents.value = [];
      cursor.value = null;
    }
    await loadCollections();
  }

  async function showCredentials(): Promise<void> {
    credentials.value = await api.databaseCredentials({ params: { databaseId } });
  }

  async function rotate(): Promise<void> {
    database.value = await api.rotateDatabase({ params: { databaseId } });
    credentials.value = null;
  }

  async function remove(confirm: string): Promise<void> {
    await api.deleteDatabase({ params: { databaseId }, query: { confirm } });
  }

  const exportUrl = (name: string) => api.url('exportCollection', { params: { databaseId, collection: name } });

  return {
    database, loadError, collections, collectionsError, collection, query, documents, cursor, querying, queryError, credentials,
    load, loadCollections, open, run, more, deleteDocument, dropCollection, showCredentials, rotate, remove, exportUrl,
    hideCredentials: () => { credentials.value = null; },
  };
}

export type DatabaseExplorer = ReturnType<typeof createDatabaseExplorer>;
