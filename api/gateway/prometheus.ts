/**
 * The gateway's counters in Prometheus' text exposition format, for operators: requests by app and
 * status class, a latency histogram per app with the gateway's fixed buckets, response bytes, cold
 * starts, and records dropped under pressure. Labelled by app id only, never by path (a path label
 * would grow without bound). Cumulative since the process started, as Prometheus expects; each
 * gateway replica is scraped on its own. Pure.
 */
import { latencyBoundsMs } from './histogram.js';
import { statusClasses } from './traffic.js';
import type { Totals } from './traffic-writer.js';

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function prometheusText(snapshot: { apps: ReadonlyMap<string, Totals>; dropped: number }): string {
  const lines: string[] = [];
  const family = (name: string, type: 'counter' | 'histogram', help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const apps = [...snapshot.apps].sort(([a], [b]) => a.localeCompare(b));

  family('fp_gateway_requests_total', 'counter', 'Requests to apps, by app and status class.');
  for (const [app, totals] of apps) {
    for (const c of statusClasses) lines.push(`fp_gateway_requests_total{app="${escape(app)}",class="${c}"} ${totals.requests[c]}`);
  }
  family('fp_gateway_request_duration_seconds', 'histogram', 'Time from the request reaching the gateway to the end of its answer, by app.');
  for (const [app, totals] of apps) {
    let cumulative = 0;
    latencyBoundsMs.forEach((bound, i) => {
      cumulative += totals.histogram[i] ?? 0;
      lines.push(`fp_gateway_request_duration_seconds_bucket{app="${escape(app)}",le="${bound / 1000}"} ${cumulative}`);
    });
    const count = totals.histogram.reduce((a, b) => a + b, 0);
    lines.push(`fp_gateway_request_duration_seconds_bucket{app="${escape(app)}",le="+Inf"} ${count}`);
    lines.push(`fp_gateway_request_duration_seconds_sum{app="${escape(app)}"} ${totals.latencySumMs / 1000}`);
    lines.push(`fp_gateway_request_duration_seconds_count{app="${escape(app)}"} ${count}`);
  }
  family('fp_gateway_response_bytes_total', 'counter', 'Bytes of apps\' answers relayed, by app.');
  for (const [app, totals] of apps) lines.push(`fp_gateway_response_bytes_total{app="${escape(app)}"} ${totals.bytes}`);
  family('fp_gateway_cold_starts_total', 'counter', 'Requests that waited for the app to start or wake, by app.');
  for (const [app, totals] of apps) lines.push(`fp_gateway_cold_starts_total{app="${escape(app)}"} ${totals.cold}`);
  family('fp_gateway_records_dropped_total', 'counter', 'Request records dropped under pressure (counts and metrics are never dropped).');
  lines.push(`fp_gateway_records_dropped_total ${snapshot.dropped}`);
  return `${lines.join('\n')}\n`;
}
