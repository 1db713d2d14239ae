/**
 * The geometry of the dashboard's small charts, drawn as plain SVG (no charting library: four
 * charts of at most 60 points need a few paths and ticks, not a 40 KB dependency). Round axis
 * maxima and ticks, linear and logarithmic scales, line paths that break where a value is missing,
 * and stacked bars. Pure, so it is tested on its own.
 */

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (1 for nothing to show). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value * (1 - 1e-9)) return step * power;
  return 10 * power;
}

/** The step between ticks for values up to `raw`: round (1, 2 or 5 × 10ⁿ), whole for counts. */
export function tickStep(raw: number, count = 4, integer = false): number {
  const step = niceMax(raw / count);
  return integer ? Math.max(1, step) : step;
}

/** Ticks from 0 by `step` up to the first one at or above `raw`, which is the axis' top. */
export function linearTicks(raw: number, step: number): number[] {
  const ticks = [0];
  while ((ticks.at(-1) ?? 0) < raw * (1 - 1e-9)) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export interface Scale {
  /** Where `value` sits, in pixels from the top of the plot. */
  readonly y: (value: number) => number;
  readonly ticks: readonly number[];
  readonly max: number;
}

export function linearScale(values: readonly (number | null)[], height: number, options: { min?: number; count?: number; integer?: boolean } = {}): Scale {
  const raw = Math.max(options.min ?? 0, ...values.map((v) => v ?? 0));
  const step = tickStep(raw, options.count, options.integer);
  const ticks = linearTicks(Math.max(raw, step), step);
  const max = ticks.at(-1) ?? 1;
  return { y: (v) => height - (v / max) * height, ticks, max };
}

/** Powers of ten around the values (latencies spread over decades: 3 ms beside 2 s). */
export function logScale(values: readonly (number | null)[], height: number): Scale {
  const shown = values.filter((v): v is number => v !== null && v > 0);
  const low = 10 ** Math.floor(Math.log10(Math.min(...shown, 10)));
  const max = 10 ** Math.max(Math.ceil(Math.log10(Math.max(...shown, 100))), Math.log10(low) + 1);
  const span = Math.log10(max) - Math.log10(low);
  const ticks: number[] = [];
  for (let v = low; v <= max; v *= 10) ticks.push(v);
  return { y: (v) => height - ((Math.log10(Math.max(v, low)) - Math.log10(low)) / span) * height, ticks, max };
}

/** An SVG path through the points, broken where a value is null (no data is not zero). */
export function linePath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let path = '';
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${round(x(i))},${round(y(v))}`;
    drawing = true;
  });
  return path;
}

export interface Bar {
  readonly series: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Stacked bars, one column per point, series stacked bottom-up in order; zero-height pieces left out. */
export function stackedBars(series: readonly (readonly number[])[], plotWidth: number, y: (v: number) => number): Bar[] {
  const count = series[0]?.length ?? 0;
  if (count === 0) return [];
  const slot = plotWidth / count;
  const width = Math.max(1, slot * 0.7);
  const bars: Bar[] = [];
  for (let i = 0; i < count; i++) {
    let base = 0;
    series.forEach((values, s) => {
      const v = values[i] ?? 0;
      if (v <= 0) return;
      const top = y(base + v);
      bars.push({ series: s, x: round(i * slot + (slot - width) / 2), y: round(top), width: round(width), height: round(y(base) - top) });
      base += v;
    });
  }
  return bars;
}

/** Which point a pointer at `offset` pixels into a plot of `count` columns is over. */
export function pointAt(offset: number, plotWidth: number, count: number): number {
  if (count <= 0) return -1;
  return Math.min(count - 1, Math.max(0, Math.floor((offset / plotWidth) * count)));
}

const round = (n: number) => Math.round(n * 10) / 10;
