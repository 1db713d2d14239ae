/** Sizes as people read them: "812 B", "4.2 KB", "13 MB"; "size unknown" when the server did not say. */
export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'size unknown';
  if (value < 1024) return `${value} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let n = value / 1024;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[unit]}`;
}
