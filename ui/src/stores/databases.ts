/**
 * Your databases: the list with sizes and the apps bound to each, create (up to the admin's limit),
 * credentials shown on request (held only while shown), rotate (the bound apps redeploy), delete
 * (the name typed again). Actions throw ApiError for the caller to show where the person acted.
 */
import { signal } from '@preact/signals';
import { api, type RequestOf, type ResponseOf } from '../http/client';
import { errorMessage } from '../lib/errors';

export type Database = ResponseOf<'getDatabase'>;
export type Credentials = ResponseOf<'databaseCredentials'>;
export type CreateDatabase = RequestOf<'createDatabase'>['body'];

export function createDatabasesStore() {
  const databases = signal<Database[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const error = signal<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      databases.value = (await api.listDatabases()).databases;
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  async function create(body: CreateDatabase): Promise<Database> {
    const created = await api.createDatabase({ body });
    await load();
    return created;
  }

  return { databases, loading, loaded, error, load, create };
}

export type DatabasesStore = ReturnType<typeof createDatabasesStore>;
