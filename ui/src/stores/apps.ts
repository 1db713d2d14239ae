/** The apps list: search and status filter (server-side), pages by cursor, loading and error state. */
import { signal } from '@preact/signals';
import { api, type AppSummary, type DeployPhase } from '../http/client';
import { errorMessage } from '../lib/errors';

export function createAppsStore() {
  const apps = signal<AppSummary[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const search = signal('');
  const status = signal<DeployPhase | ''>('');
  let sequence = 0;

  const query = (cursor?: string) => ({
    limit: 25,
    ...(search.value.trim() ? { search: search.value.trim() } : {}),
    ...(status.value ? { status: status.value } : {}),
    ...(cursor ? { cursor } : {}),
  });

  async function load(more = false): Promise<void> {
    const mine = ++sequence;
    loading.value = true;
    try {
      const page = await api.listApps({ query: query(more ? nextCursor.value ?? undefined : undefined) });
      if (mine !== sequence) return;
      apps.value = more ? [...apps.value, ...page.apps] : page.apps;
      nextCursor.value = page.nextCursor;
      error.value = null;
    } catch (e) {
      if (mine === sequence) error.value = errorMessage(e);
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  return { apps, nextCursor, loading, error, search, status, load };
}
