/** Summary statistics and a plain table for benchmark output. */

export interface Summary {
  readonly runs: number;
  readonly median: number;
  readonly p99: number;
  readonly mean: number;
  readonly min: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? (sorted[Math.floor(mid)] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { runs: sorted.length, median, p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, min: sorted[0] ?? 0 };
}

export function ms(value: number): string {
  return value < 1 ? `${value.toFixed(3)} ms` : value < 100 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
}

/** Prints rows of `name → summary`, with each median's ratio to the `reference` row. */
export function printTable(title: string, rows: readonly [string, Summary][], reference?: string): void {
  const ref = rows.find(([name]) => name === reference)?.[1];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${title}`);
  console.log(`${'variant'.padEnd(width)}  ${'runs'.padStart(5)}  ${'median'.padStart(10)}  ${'p99'.padStart(10)}  ${'mean'.padStart(10)}${ref ? `  ${'× ' + reference}` : ''}`);
  for (const [name, s] of rows) {
    const ratio = ref ? `  ${(s.median / ref.median).toFixed(2)}×` : '';
    console.log(`${name.padEnd(width)}  ${String(s.runs).padStart(5)}  ${ms(s.median).padStart(10)}  ${ms(s.p99).padStart(10)}  ${ms(s.mean).padStart(10)}${ratio}`);
  }
}
