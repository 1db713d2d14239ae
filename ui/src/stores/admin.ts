/**
 * The admin screen's lists: users (search, pages by offset, create, promote/demote, delete) and every
 * template (hide for everyone, delete). Actions throw ApiError so the caller can show the API's
 * sentence where the person acted; loading failures land in `error`.
 */
import { signal } from '@preact/signals';
import { api, type AdminTemplate, type AdminUser, type User } from '../http/client';
import { errorMessage } from '../lib/errors';

const pageSize = 50;

export function createUsersStore() {
  const users = signal<AdminUser[]>([]);
  const total = signal(0);
  const search = signal('');
  const loading = signal(false);
  const error = signal<string | null>(null);
  let sequence = 0;

  async function load(more = false): Promise<void> {
    const mine = ++sequence;
    loading.value = true;
    const query = { limit: pageSize, offset: more ? users.value.length : 0, ...(search.value.trim() ? { search: search.value.trim() } : {}) };
    try {
      const page = await api.adminListUsers({ query });
      if (mine !== sequence) return;
      users.value = more ? [...users.value, ...page.users] : page.users;
      total.value = page.total;
      error.value = null;
    } catch (e) {
      if (mine === sequence) error.value = errorMessage(e);
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  /** Creates the account (sign-ups need not be open), an admin from the start if asked. */
  async function create(input: { username: string; email: string; password: string }, isAdmin: boolean): Promise<User> {
    const { user } = await api.adminCreateUser({ body: { ...input, isAdmin } });
    await load();
    return user;
  }

  async function setAdmin(userId: string, isAdmin: boolean): Promise<void> {
    const { user } = await api.adminSetAdmin({ params: { userId }, body: { isAdmin } });
    users.value = users.value.map((u) => (u.id === user.id ? { ...u, isAdmin: user.isAdmin } : u));
  }

  async function remove(userId: string): Promise<void> {
    await api.adminDeleteUser({ params: { userId } });
    users.value = users.value.filter((u) => u.id !== userId);
    total.value = Math.max(0, total.value - 1);
  }

  return { users, total, search, loading, error, load, create, setAdmin, remove };
}

export type UsersStore = ReturnType<typeof createUsersStore>;

export function createAdminTemplatesStore() {
  const templates = signal<AdminTemplate[]>([]);
  const loading = signal(false);
  const error = signal<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      templates.value = (await api.adminListTemplates()).templates;
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function setHidden(id: string, hidden: boolean): Promise<void> {
    const updated = await api.adminUpdateTemplate({ params: { templateId: id }, body: { hidden } });
    templates.value = templates.value.map((t) => (t.id === id ? { ...t, adminHidden: updated.adminHidden } : t));
  }

  async function remove(id: string): Promise<void> {
    await api.adminDeleteTemplate({ params: { templateId: id } });
    templates.value = templates.value.filter((t) => t.id !== id);
  }

  return { templates, loading, error, load, setHidden, remove };
}

export type AdminTemplatesStore = ReturnType<typeof createAdminTemplatesStore>;
