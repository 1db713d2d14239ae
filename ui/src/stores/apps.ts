/** The apps list: search and status filter (server-side), pages by cursor, loading and error state. */
import { signal } from '@preact/signals';
import { get } from '../http/client';
import type { AppSummary, DeployPhase } from '../http/types';
import { errorMessage } from '../lib/errors';

export function createAppsStore() {
  const apps = signal<AppSummary[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const search = signal('');
  const status = signal<DeployPhase | ''>('');
  let sequence = 0;

  const query = (cursor?: string) => {
    const params = new URLSearchParams({ limit: '25' });
    if (search.value.trim()) params.set('search', search.value.trim());
    if (status.value) params.set('status', status.value);
    if (cursor) params.set('cursor', cursor);
    return `/api/apps?${params}`;
  };

  async function load(more = false): Promise<void> {
    const mine = ++sequence;
    loading.value = true;
    try {
      const page = await get<{ apps: AppSummary[]; nextCursor: string | null }>(query(more ? nextCursor.value ?? undefined : undefined));
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
