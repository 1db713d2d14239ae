/** Who is signed in: the session store (cookies are HttpOnly; the UI keeps only the user and the CSRF token). */
import { signal } from '@preact/signals';
import { get, post, setCsrfToken } from '../http/client';
import type { User } from '../http/types';

export function createSessionStore() {
  const user = signal<User | null>(null);
  const checked = signal(false);
  const signupsAllowed = signal<boolean | null>(null);

  async function load(): Promise<void> {
    try {
      const me = await get<{ user: User; csrfToken: string | null }>('/api/auth/me');
      setCsrfToken(me.csrfToken);
      user.value = me.user;
    } catch {
      user.value = null;
    } finally {
      checked.value = true;
    }
  }

  async function loadConfig(): Promise<void> {
    const config = await get<{ signupsAllowed: boolean }>('/api/auth/config').catch(() => null);
    signupsAllowed.value = config?.signupsAllowed ?? null;
  }

  async function login(login: string, password: string): Promise<void> {
    const result = await post<{ user: User; csrfToken?: string }>('/api/auth/login', { login, password, mode: 'cookie' });
    setCsrfToken(result.csrfToken ?? null);
    user.value = result.user;
  }

  async function signup(username: string, email: string, password: string): Promise<void> {
    await post('/api/auth/signup', { username, email, password });
    await login(username, password);
  }

  async function logout(): Promise<void> {
    await post('/api/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    user.value = null;
  }

  return { user, checked, signupsAllowed, load, loadConfig, login, signup, logout };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
