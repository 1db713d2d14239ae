/**
 * How `fp` writes: results to stdout (plain lines, tables, or `--json`), progress and problems to
 * stderr. Colours only when the stream is a TTY and NO_COLOR is unset (https://no-color.org);
 * FORCE_COLOR forces them. Nothing here knows about the platform.
 */
export interface Streams {
  readonly out: NodeJS.WriteStream;
  readonly err: NodeJS.WriteStream;
}

export function colourOn(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

const codes = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof codes;

export type Paint = (style: Style, text: string) => string;

export function painter(on: boolean): Paint {
  return (style, text) => (on ? `\x1b[${codes[style][0]}m${text}\x1b[${codes[style][1]}m` : text);
}

// eslint-disable-next-line no-control-regex -- colour codes are what is being removed
const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Columns padded to their widest cell; the last column is never padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, visible(cell).length); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell).length))).join('  ').trimEnd()).join('\n');
}

export function json(stream: NodeJS.WriteStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** "3 min ago", "yesterday", or the date. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 2 * 86_400) return 'yesterday';
  return iso.slice(0, 10);
}
