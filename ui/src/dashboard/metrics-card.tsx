/**
 * The app's metrics on its dashboard: a time-range picker, the window's totals in words (requests,
 * error rate, p50/p95/p99, cold starts, bytes sent), and four charts (requests per minute by status
 * class, error rate, latency percentiles, cold starts) from the gateway's per-minute rollups.
 */
import { chartsOf, count, milliseconds, percent, pointTime, ranges, rangeWords, type RangeMinutes } from '../lib/metrics';
import { bytes } from '../lib/bytes';
import type { MetricsStore } from '../stores/metrics';
import { MetricsChart } from './metrics-chart';

export interface Props {
  readonly store: MetricsStore;
}

export function MetricsCard({ store }: Props) {
  const metrics = store.metrics.value;
  const minutes = store.shownMinutes.value;
  const totals = metrics?.totals;
  return (
    <section aria-labelledby="metrics-heading" class="card metrics-card" aria-busy={store.loading.value}>
      <div class="row metrics-head">
        <h2 id="metrics-heading">Metrics</h2>
        <span class="spacer" />
        <fieldset class="segmented">
          <legend class="visually-hidden">Time range</legend>
          {ranges.map((r) => (
            <label key={r.minutes} class={store.minutes.value === r.minutes ? 'selected' : undefined}>
              <input type="radio" name="metrics-range" value={r.minutes} checked={store.minutes.value === r.minutes}
                onChange={() => store.choose(r.minutes as RangeMinutes)} />
              <span aria-hidden="true">{r.label}</span><span class="visually-hidden">{r.words}</span>
            </label>
          ))}
        </fieldset>
      </div>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {!metrics || !totals ? <p role="status" class="muted">Loading the metrics…</p> : (
        <>
          <dl class="totals" data-testid="metrics-totals">
            <div><dt>Requests</dt><dd>{count(totals.requests)}</dd></div>
            <div><dt>Error rate</dt><dd>{percent(totals.errorRate)}</dd></div>
            <div><dt>p50</dt><dd>{totals.p50 === null ? '–' : milliseconds(totals.p50)}</dd></div>
            <div><dt>p95</dt><dd>{totals.p95 === null ? '–' : milliseconds(totals.p95)}</dd></div>
            <div><dt>p99</dt><dd>{totals.p99 === null ? '–' : milliseconds(totals.p99)}</dd></div>
            <div><dt>Cold starts</dt><dd>{count(totals.cold)}</dd></div>
            <div><dt>Sent</dt><dd>{bytes(totals.bytes)}</dd></div>
          </dl>
          {totals.dropped > 0 && (
            <p class="muted">{count(totals.dropped)} request record{totals.dropped === 1 ? ' was' : 's were'} dropped under load; these counts include them.</p>
          )}
          {totals.requests === 0 ? (
            <p class="muted empty-metrics">No request in {rangeWords(minutes)}. Open the app or send a request from the editor's Test panel, and the charts fill in here.</p>
          ) : (
            <div class="charts">
              {chartsOf(metrics, minutes).map((chart) => <MetricsChart key={chart.id} chart={chart} times={metrics.points.map((p) => pointTime(p.at, minutes))} />)}
            </div>
          )}
        </>
      )}
    </section>
  );
}
