/**
 * One app's sleep: its state (awake, asleep, waking, and since when), after how long without a request
 * it sleeps, and always-on. The owner sets the app's idle timeout; an admin grants always-on. Saving
 * throws the API's error for the form to show beside its field; the shown state changes only with
 * the API's answer.
 */
import { signal } from '@preact/signals';
import { api } from '../http/client';
import { errorMessage } from '../lib/errors';
import type { Sleep } from '../lib/sleep';

export function createSleepStore(appId: string) {
  const sleep = signal<Sleep | null>(null);
  const error = signal<string | null>(null);
  let sequence = 0;

  async function refresh(): Promise<void> {
    const mine = ++sequence;
    try {
      const answer = await api.getSleep({ params: { appId } });
      if (mine !== sequence) return;
      sleep.value = answer;
      error.value = null;
    } catch (e) {
      if (mine === sequence) error.value = `Could not load the sleep state: ${errorMessage(e)}`;
    }
  }

  /** The app's own idle timeout in seconds, or null for the platform's default. */
  async function setIdleTimeout(idleTimeoutSeconds: number | null): Promise<Sleep> {
    const saved = await api.setSleep({ params: { appId }, body: { idleTimeoutSeconds } });
    sequence++;
    sleep.value = saved;
    return saved;
  }

  /** Admins only: the app never sleeps (granting it wakes a sleeping app). */
  async function setAlwaysOn(alwaysOn: boolean): Promise<Sleep> {
    const saved = await api.adminSetAlwaysOn({ params: { appId }, body: { alwaysOn } });
    sequence++;
    sleep.value = saved;
    return saved;
  }

  return { sleep, error, refresh, setIdleTimeout, setAlwaysOn };
}

export type SleepStore = ReturnType<typeof createSleepStore>;
