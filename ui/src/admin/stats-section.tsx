/** The platform's numbers (the API caches them for 30 s) as a list of cards. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../http/client';
import { timeAgo } from '../lib/format';
import type { AdminStats } from '../http/client';
import { errorMessage } from '../lib/errors';

function figures(s: AdminStats): [string, number][] {
  return [
    ['Users', s.users], ['Admins', s.admins], ['Sign-ups in the last 7 days', s.signupsLast7Days],
    ['Apps', s.apps.total], ['Running', s.apps.running], ['Deploying', s.apps.deploying], ['Failed', s.apps.failed], ['Not deployed', s.apps.draft],
    ['Global templates', s.templates.global], ['Users\' templates', s.templates.user], ['Requests to apps in the last 24 hours', s.requestsLast24Hours],
  ];
}

export function StatsSection() {
  const [stats, setStats] = useState<AdminStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    try {
      setStats(await api.adminStats());
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <section aria-labelledby="stats-heading">
      <div class="row">
        <h2 id="stats-heading">Statistics</h2>
        <span class="spacer" />
        <button type="button" disabled={busy} onClick={() => void load()}>Refresh<span class="visually-hidden"> statistics</span></button>
      </div>
      {error && <div class="alert" role="alert">{error}</div>}
      {!stats && !error && <p role="status">Loading the statistics…</p>}
      {stats && (
        <>
          <p class="muted">Counted {timeAgo(stats.generatedAt)}; the figures are at most 30 seconds old.</p>
          <dl class="stats">
            {figures(stats).map(([label, value]) => (
              <div key={label} class="card">
                <dt>{label}</dt>
                <dd>{value.toLocaleString('en')}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
