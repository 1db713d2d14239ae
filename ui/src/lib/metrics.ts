/**
 * The app's metrics (GET /api/apps/:id/metrics) as what the dashboard draws and says: the time
 * ranges offered, the four charts' series (requests per minute by status class, error rate, latency
 * percentiles, cold starts), one sentence per chart for screen readers, and the numbers' words.
 * Pure, so it is tested on its own.
 */
import type { ResponseOf } from '../http/client';

export type Metrics = ResponseOf<'metrics'>;
export type MetricsPoint = Metrics['points'][number];
export type StatusClass = keyof MetricsPoint['classes'];

export const ranges = [
  { minutes: 30, label: '30 min', words: 'the last 30 minutes' },
  { minutes: 60, label: '1 h', words: 'the last hour' },
  { minutes: 6 * 60, label: '6 h', words: 'the last 6 hours' },
  { minutes: 24 * 60, label: '24 h', words: 'the last 24 hours' },
  { minutes: 7 * 24 * 60, label: '7 d', words: 'the last 7 days' },
] as const;
export type RangeMinutes = (typeof ranges)[number]['minutes'];

export const rangeWords = (minutes: number) => ranges.find((r) => r.minutes === minutes)?.words ?? `the last ${minutes} minutes`;

/** Bottom-up in the stacked bars: successes first, server errors on top where the eye lands. */
export const statusClasses: readonly StatusClass[] = ['2xx', '3xx', '1xx', '4xx', '5xx'];

export interface Series {
  readonly label: string;
  /** A CSS class giving the colour and dash (never colour alone: the legend names each). */
  readonly tone: string;
  readonly values: readonly (number | null)[];
}

export interface ChartData {
  readonly id: 'requests' | 'errors' | 'latency' | 'cold';
  readonly title: string;
  readonly kind: 'bars' | 'lines';
  readonly scale: 'linear' | 'log';
  /** Whole counts: the axis ticks by whole steps. */
  readonly integer: boolean;
  readonly series: readonly Series[];
  /** How a value of this chart reads ("12 ms", "3.5%", "4 per minute"). */
  readonly format: (value: number) => string;
  /** The same, short, for the axis' ticks. */
  readonly axis: (value: number) => string;
  /** The chart said in one sentence, for its accessible name. */
  readonly summary: string;
}

export function count(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function percent(rate: number): string {
  if (rate === 0) return '0%';
  const value = rate * 100;
  return `${value < 0.1 ? '<0.1' : value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 1 : 0 })}%`;
}

export function milliseconds(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: ms >= 10_000 ? 0 : 1 })} s`;
  return `${ms.toLocaleString('en-US', { maximumFractionDigits: ms < 10 ? 1 : 0 })} ms`;
}

/** A point's time as the axis and the table show it: the clock, with the day once a range spans days. */
export function pointTime(iso: string, minutes: number): string {
  const date = new Date(iso);
  const clock = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return minutes > 24 * 60 ? `${date.toLocaleDateString('en-GB', { weekday: 'short' })} ${clock}` : clock;
}

function peak(values: readonly (number | null)[], points: readonly MetricsPoint[], minutes: number): { value: number; at: string } | null {
  let best: { value: number; at: string } | null = null;
  values.forEach((v, i) => {
    const point = points[i];
    if (v !== null && v > 0 && point && (!best || v > best.value)) best = { value: v, at: pointTime(point.at, minutes) };
  });
  return best;
}

/** The four charts of a metrics window of `minutes`. */
export function chartsOf(metrics: Metrics, minutes: number): ChartData[] {
  const { points, totals, bucketMinutes } = metrics;
  const words = rangeWords(minutes);
  const perMinute = (n: number) => n / bucketMinutes;
  const per = bucketMinutes === 1 ? 'per minute' : `per minute (averaged over ${bucketMinutes} minutes)`;
  const requestSeries = statusClasses.map((c) => ({ label: c, tone: `class-${c}`, values: points.map((p) => perMinute(p.classes[c])) }));
  const busiest = peak(points.map((p) => perMinute(p.requests)), points, minutes);
  const errorValues = points.map((p) => (p.requests === 0 ? null : p.errorRate * 100));
  const worst = peak(errorValues, points, minutes);
  const latency = (['p50', 'p95', 'p99'] as const).map((q) => ({ label: q, tone: `quantile-${q}`, values: points.map((p) => p[q]) }));
  const coldValues = points.map((p) => p.cold);
  return [
    {
      id: 'requests', title: `Requests ${per}`, kind: 'bars', scale: 'linear', integer: bucketMinutes === 1, series: requestSeries, format: (v) => `${count(v)} per minute`, axis: count,
      summary: `${count(totals.requests)} requests in ${words}: ${statusClasses.filter((c) => totals.classes[c] > 0).map((c) => `${count(totals.classes[c])} ${c}`).join(', ') || 'none'}`
        + `${busiest ? `; busiest ${busiest.at} with ${count(busiest.value)} per minute` : ''}.`,
    },
    {
      id: 'errors', title: 'Error rate (5xx)', kind: 'lines', scale: 'linear', integer: false, series: [{ label: 'Server errors', tone: 'error-rate', values: errorValues }],
      format: (v) => percent(v / 100), axis: (v) => `${count(v)}%`,
      summary: `${percent(totals.errorRate)} of requests failed with a server error in ${words}${worst ? `; highest ${percent(worst.value / 100)} at ${worst.at}` : ''}.`,
    },
    {
      id: 'latency', title: 'Latency', kind: 'lines', scale: 'log', integer: false, series: latency, format: milliseconds, axis: milliseconds,
      summary: totals.p50 === null ? `No request in ${words}, so no latency.`
        : `Latency in ${words}: half of the requests within ${milliseconds(totals.p50)}, 95% within ${milliseconds(totals.p95 ?? totals.p50)}, 99% within ${milliseconds(totals.p99 ?? totals.p50)}.`,
    },
    {
      id: 'cold', title: 'Cold starts', kind: 'bars', scale: 'linear', integer: true, series: [{ label: 'Cold starts', tone: 'cold', values: coldValues }], format: (v) => count(v), axis: count,
      summary: totals.cold === 0 ? `No cold start in ${words}.` : `${count(totals.cold)} request${totals.cold === 1 ? '' : 's'} woke the app in ${words}.`,
    },
  ];
}
