/**
 * One app's metrics over a chosen window (the last 30 minutes to 7 days), from the gateway's
 * per-minute rollups. A newer answer always wins over an older one still in flight (switching the
 * range quickly never shows the previous range's charts); a refresh that fails keeps the last data.
 */
import { signal } from '@preact/signals';
import { api } from '../http/client';
import { errorMessage } from '../lib/errors';
import type { Metrics, RangeMinutes } from '../lib/metrics';

export function createMetricsStore(appId: string, initial: RangeMinutes = 60) {
  const minutes = signal<RangeMinutes>(initial);
  const metrics = signal<Metrics | null>(null);
  /** The window the shown metrics are of (the picker may already be on the next one). */
  const shownMinutes = signal<number>(initial);
  const error = signal<string | null>(null);
  const loading = signal(false);
  let sequence = 0;

  async function refresh(): Promise<void> {
    const mine = ++sequence;
    const window = minutes.value;
    loading.value = true;
    try {
      const answer = await api.metrics({ params: { appId }, query: { minutes: window } });
      if (mine !== sequence) return;
      metrics.value = answer;
      shownMinutes.value = window;
      error.value = null;
    } catch (e) {
      if (mine === sequence) error.value = `Could not load the metrics: ${errorMessage(e)}`;
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  function choose(next: RangeMinutes): void {
    minutes.value = next;
    void refresh();
  }

  return { minutes, metrics, shownMinutes, error, loading, refresh, choose };
}

export type MetricsStore = ReturnType<typeof createMetricsStore>;
