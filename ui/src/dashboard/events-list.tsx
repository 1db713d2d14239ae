/**
 * The runtime's recent events (scheduling, image, start, probes, crashes) and the platform's own
 * repairs when what ran had drifted from what was deployed; warnings and repairs marked in words.
 */
import { timeAgo } from '../lib/format';
import type { DashboardStore } from '../stores/dashboard';

export function EventsList({ store }: { readonly store: DashboardStore }) {
  const events = store.events.value;
  return (
    <section aria-labelledby="events-heading" class="card">
      <h2 id="events-heading">Events</h2>
      {events.length === 0 ? <p class="muted">No event yet. Starts, crashes, probes and repairs show here.</p> : (
        <ul class="events">
          {events.map((e, i) => (
            <li key={`${e.at}-${i}`} class={e.reason === 'Repaired' ? 'drift' : e.type === 'Warning' ? 'warning' : undefined}>
              <span class="reason">{e.reason === 'Repaired' ? 'Repaired drift' : e.type === 'Warning' ? `Warning: ${e.reason}` : e.reason}</span>
              <span>{e.message}</span>
              <span class="muted"><time dateTime={e.at} title={new Date(e.at).toLocaleString()}>{timeAgo(e.at)}</time>{e.object ? ` · ${e.object}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
