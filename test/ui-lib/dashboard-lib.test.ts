/**
 * The dashboard's pure parts: chart geometry (round maxima, ticks, log scales, broken lines, stacked
 * bars, the pointer's point), the metrics window as four charts with their sentences, the sleep
 * state and idle timeout in words and back into seconds, and an app named by id, address or link.
 */
import test from 'ava';
import { appIdIn } from '../../ui/src/lib/app-ref.js';
import { linePath, linearScale, linearTicks, logScale, niceMax, pointAt, stackedBars, tickStep } from '../../ui/src/lib/chart.js';
import { chartsOf, milliseconds, percent, type Metrics } from '../../ui/src/lib/metrics.js';
import { duration, fieldOf, secondsOf, sleepRule, sleepState, type Sleep } from '../../ui/src/lib/sleep.js';

test('chart axes end on a round number at or above the largest value', (t) => {
  t.is(niceMax(0), 1);
  t.is(niceMax(1), 1);
  t.is(niceMax(7), 10);
  t.is(niceMax(13), 20);
  t.is(niceMax(41), 50);
  t.is(niceMax(0.03), 0.05);
  t.is(tickStep(20), 5);
  t.is(tickStep(1), 0.5);
  t.is(tickStep(1, 4, true), 1, 'counts tick by whole steps');
  t.deepEqual(linearTicks(20, 5), [0, 5, 10, 15, 20]);
  t.deepEqual(linearTicks(13, 5), [0, 5, 10, 15], 'the top tick is at or above the largest value');
  t.deepEqual(linearScale([0, 3], 100, { min: 1, integer: true }).ticks, [0, 1, 2, 3]);
  t.deepEqual(linearScale([0.2, 0.7], 100).ticks, [0, 0.2, 0.4, 0.6, 0.8]);
  const scale = linearScale([2, null, 8], 100);
  t.is(scale.max, 8);
  t.is(scale.y(0), 100);
  t.is(scale.y(8), 0);
  t.is(scale.y(4), 50);
  t.is(linearScale([0, 0], 100, { min: 1 }).max, 1, 'an empty chart still has an axis');
});

test('latency spreads over decades on a log scale: 3 ms and 2 s both readable', (t) => {
  const scale = logScale([3, null, 2000], 120);
  t.deepEqual(scale.ticks, [1, 10, 100, 1000, 10_000]);
  t.is(scale.y(1), 120);
  t.is(scale.y(10_000), 0);
  t.is(scale.y(100), 60);
  t.deepEqual(logScale([], 100).ticks, [10, 100], 'no data: a decade to draw on');
});

test('a line breaks where a minute had no data instead of dropping to zero', (t) => {
  t.is(linePath([1, 2, null, 4], (i) => i * 10, (v) => 100 - v), 'M0,99L10,98M30,96');
  t.is(linePath([null, null], (i) => i, (v) => v), '');
});

test('stacked bars put each series on the one below, leaving out empty pieces', (t) => {
  const bars = stackedBars([[2, 0], [1, 3]], 100, (v) => 40 - v * 10);
  t.deepEqual(bars.map((b) => [b.series, b.y, b.height]), [[0, 20, 20], [1, 10, 10], [1, 10, 30]]);
  t.is(bars[0]?.x, 7.5);
  t.is(bars[0]?.width, 35);
  t.deepEqual(stackedBars([], 100, (v) => v), []);
});

test('the pointer picks the column it is over, clamped to the plot', (t) => {
  t.is(pointAt(0, 100, 10), 0);
  t.is(pointAt(55, 100, 10), 5);
  t.is(pointAt(150, 100, 10), 9);
  t.is(pointAt(-5, 100, 10), 0);
  t.is(pointAt(10, 100, 0), -1);
});

const point = (at: string, classes: Partial<Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>>, extra: { p50?: number | null; cold?: number } = {}) => {
  const full = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, ...classes };
  const requests = Object.values(full).reduce((a, b) => a + b, 0);
  const p50 = extra.p50 === undefined ? (requests ? 10 : null) : extra.p50;
  return { at, requests, classes: full, errorRate: requests ? full['5xx'] / requests : 0, p50, p95: p50, p99: p50, cold: extra.cold ?? 0 };
};

const metrics: Metrics = {
  from: '2026-12-03T14:00:00.000Z', to: '2026-12-03T14:03:00.000Z', bucketMinutes: 1, latencyBucketsMs: [5, 10, 25],
  points: [point('2026-12-03T14:00:00.000Z', { '2xx': 3, '5xx': 1 }), point('2026-12-03T14:01:00.000Z', {}), point('2026-12-03T14:02:00.000Z', { '2xx': 6, '4xx': 2 }, { cold: 1 })],
  totals: {
    requests: 13, classes: { '1xx': 0, '2xx': 9, '3xx': 0, '4xx': 2, '5xx': 1 }, errorRate: 1 / 13, histogram: [0, 13, 0, 0],
    p50: 10, p95: 250, p99: 2500, cold: 1, bytes: 1000, dropped: 0,
  },
};

test('a metrics window becomes four charts, each said in a sentence', (t) => {
  const [requests, errors, latency, cold] = chartsOf(metrics, 60);
  t.is(requests?.title, 'Requests per minute');
  t.deepEqual(requests?.series.find((s) => s.label === '2xx')?.values, [3, 0, 6]);
  t.regex(requests?.summary ?? '', /^13 requests in the last hour: 9 2xx, 2 4xx, 1 5xx; busiest .* with 8 per minute\.$/);
  t.deepEqual(errors?.series[0]?.values, [25, null, 0], 'a minute without requests has no error rate, not 0%');
  t.regex(errors?.summary ?? '', /^7\.7% of requests failed with a server error in the last hour; highest 25% at /);
  t.deepEqual(latency?.series.map((s) => s.label), ['p50', 'p95', 'p99']);
  t.is(latency?.scale, 'log');
  t.is(latency?.summary, 'Latency in the last hour: half of the requests within 10 ms, 95% within 250 ms, 99% within 2.5 s.');
  t.is(cold?.summary, '1 request woke the app in the last hour.');
});

test('wider windows average requests per minute over their buckets, and say so', (t) => {
  const [requests] = chartsOf({ ...metrics, bucketMinutes: 6 }, 6 * 60);
  t.is(requests?.title, 'Requests per minute (averaged over 6 minutes)');
  t.deepEqual(requests?.series.find((s) => s.label === '2xx')?.values, [0.5, 0, 1]);
  t.regex(requests?.summary ?? '', /in the last 6 hours/);
});

test('numbers read as people say them', (t) => {
  t.is(percent(0), '0%');
  t.is(percent(0.0004), '<0.1%');
  t.is(percent(0.077), '7.7%');
  t.is(percent(0.5), '50%');
  t.is(milliseconds(3.25), '3.3 ms');
  t.is(milliseconds(250), '250 ms');
  t.is(milliseconds(2500), '2.5 s');
  t.is(milliseconds(30_000), '30 s');
});

test('idle timeouts in words, in the field, and back into seconds', (t) => {
  t.is(duration(900), '15 minutes');
  t.is(duration(90), '1 minute 30 seconds');
  t.is(duration(86_400 + 7200), '1 day 2 hours');
  t.deepEqual(fieldOf(900), { value: '15', unit: 'minutes' });
  t.deepEqual(fieldOf(90), { value: '90', unit: 'seconds' });
  t.deepEqual(fieldOf(7 * 86_400), { value: '7', unit: 'days' });
  t.deepEqual(secondsOf('15', 'minutes'), { seconds: 900 });
  t.deepEqual(secondsOf(' 1,5 ', 'hours'), { seconds: 5400 });
  t.deepEqual(secondsOf('0.1', 'hours'), { seconds: 360 });
  t.deepEqual(secondsOf('5', 'seconds'), { seconds: 5 }, 'the range is the API\'s to judge');
  t.deepEqual(secondsOf('-3', 'minutes'), { seconds: -180 });
});

test('fails when the idle timeout is not a number or not whole seconds', (t) => {
  t.regex((secondsOf('', 'minutes') as { problem: string }).problem, /Enter how long/);
  t.regex((secondsOf('ten', 'minutes') as { problem: string }).problem, /"ten" is not a number/);
  t.regex((secondsOf('1e3', 'seconds') as { problem: string }).problem, /not a number/);
  t.regex((secondsOf('1.5', 'seconds') as { problem: string }).problem, /whole seconds/);
});

const sleep = (patch: Partial<Sleep>): Sleep => ({ state: 'awake', since: null, idleTimeoutSeconds: null, effectiveIdleTimeoutSeconds: 900, alwaysOn: false, lastWakeMs: null, ...patch });

test('the sleep state and rule in words', (t) => {
  t.is(sleepState(sleep({})).text, 'Awake');
  t.is(sleepState(sleep({ state: 'sleeping' })).text, 'Asleep');
  t.regex(sleepState(sleep({ state: 'sleeping' })).sentence, /next request, which wakes it/);
  t.is(sleepState(sleep({ state: 'waking' })).text, 'Waking');
  t.is(sleepState(sleep({ alwaysOn: true })).text, 'Always on');
  t.is(sleepRule(sleep({})), 'After 15 minutes without a request (the platform\'s default).');
  t.is(sleepRule(sleep({ idleTimeoutSeconds: 10, effectiveIdleTimeoutSeconds: 10 })), 'After 10 seconds without a request (this app\'s own setting).');
  t.is(sleepRule(sleep({ alwaysOn: true, effectiveIdleTimeoutSeconds: null })), 'Never: an admin made this app always on.');
});

test('an app is found by its id, address or a link to one of its screens', (t) => {
  t.is(appIdIn('k3x9q2m1za'), 'k3x9q2m1za');
  t.is(appIdIn(' K3X9Q2M1ZA '), 'k3x9q2m1za');
  t.is(appIdIn('https://app-k3x9q2m1za.example.com/docs'), 'k3x9q2m1za');
  t.is(appIdIn('app-k3x9q2m1za.localhost:8080'), 'k3x9q2m1za');
  t.is(appIdIn('http://localhost:8080/apps/k3x9q2m1za/dashboard'), 'k3x9q2m1za');
  t.is(appIdIn('/apps/k3x9q2m1za'), 'k3x9q2m1za');
});

test('fails when what was pasted names no app', (t) => {
  t.is(appIdIn(''), null);
  t.is(appIdIn('my-app'), null);
  t.is(appIdIn('k3x9q2m1z'), null, 'nine characters');
  t.is(appIdIn('https://app-k3x9q2m1zab.example.com'), null, 'eleven characters');
  t.is(appIdIn('https://example.com/apps/new'), null);
});
