/**
 * Your account: personal API tokens (create, whose value is held only until you dismiss it; list;
 * revoke) and signed-in sessions (list, end). Everything through the shared client.
 */
import { signal } from '@preact/signals';
import { api, type ApiToken, type CreatedToken, type Session } from '../http/client';
import { errorMessage } from '../lib/errors';

export function createAccountStore() {
  const tokens = signal<ApiToken[]>([]);
  const sessions = signal<Session[]>([]);
  const loading = signal(true);
  const error = signal<string | null>(null);
  /** The token just created: its value is shown once, never fetched again. */
  const created = signal<CreatedToken | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const [t, s] = await Promise.all([api.listTokens(), api.listSessions()]);
      tokens.value = t.tokens;
      sessions.value = s.sessions;
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  /** Throws the API's failure for the form to show next to its fields. */
  async function createToken(name: string, expiresInDays: number | null): Promise<void> {
    created.value = await api.createToken({ body: { name, ...(expiresInDays ? { expiresInDays } : {}) } });
    tokens.value = (await api.listTokens()).tokens;
  }

  async function revokeToken(id: string): Promise<void> {
    await api.revokeToken({ params: { id } });
    tokens.value = tokens.value.filter((t) => t.id !== id);
    if (created.value?.id === id) created.value = null;
  }

  async function endSession(id: string): Promise<void> {
    await api.endSession({ params: { id } });
    sessions.value = sessions.value.filter((s) => s.id !== id);
  }

  return { tokens, sessions, loading, error, created, load, createToken, revokeToken, endSession };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
