/**
 * Latency histograms with fixed buckets (milliseconds), so rollups from any number of gateway replicas
 * and minutes add up by plain addition, and percentiles come out as the bucket a quantile falls in
 * (interpolated linearly inside it). Pure.
 */

/** Upper bounds (inclusive) of each bucket; the last bucket is everything slower. */
export const latencyBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

export function emptyHistogram(): number[] {
  return new Array<number>(latencyBoundsMs.length + 1).fill(0);
}

export function bucketOf(ms: number): number {
  const index = latencyBoundsMs.findIndex((bound) => ms <= bound);
  return index === -1 ? latencyBoundsMs.length : index;
}

export function addInto(target: number[], source: readonly number[]): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
}

/**
 * The latency at quantile `q` (0..1), or null without samples: the bucket holding the q-th sample,
 * interpolated between its lower and upper bound (the slowest bucket reports its lower bound).
 */
export function quantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count === 0) continue;
    if (seen + count >= rank) {
      const lower = i === 0 ? 0 : latencyBoundsMs[i - 1] ?? 0;
      const upper = latencyBoundsMs[i];
      if (upper === undefined) return lower;
      return lower + ((rank - seen) / count) * (upper - lower);
    }
    seen += count;
  }
  return null;
}
