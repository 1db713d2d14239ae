/** Who is signed in: the session store (cookies are HttpOnly; the UI keeps only the user and the CSRF token). */
import { signal } from '@preact/signals';
import { api, setCsrfToken, type User } from '../http/client';

export function createSessionStore() {
  const user = signal<User | null>(null);
  const checked = signal(false);
  const signupsAllowed = signal<boolean | null>(null);

  async function load(): Promise<void> {
    try {
      const me = await api.me();
      setCsrfToken(me.csrfToken);
      user.value = me.user;
    } catch {
      user.value = null;
    } finally {
      checked.value = true;
    }
  }

  async function loadConfig(): Promise<void> {
    const config = await api.authConfig().catch(() => null);
    signupsAllowed.value = config?.signupsAllowed ?? null;
  }

  async function login(login: string, password: string): Promise<void> {
    const result = await api.login({ body: { login, password, mode: 'cookie' } });
    setCsrfToken(result.csrfToken ?? null);
    user.value = result.user;
  }

  async function signup(username: string, email: string, password: string): Promise<void> {
    await api.signup({ body: { username, email, password } });
    await login(username, password);
  }

  async function logout(): Promise<void> {
    await api.logout().catch(() => undefined);
    setCsrfToken(null);
    user.value = null;
  }

  return { user, checked, signupsAllowed, load, loadConfig, login, signup, logout };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
