/** Log lines as the logs panel shows, searches and downloads them. Pure. */
import type { LogLine } from '../http/client';

/** "14:03:07.412" in the browser's time zone (the full date is in the line's title and the download). */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The lines containing `query` (case-insensitive; every word of it, in any order). */
export function searchLines(lines: readonly LogLine[], query: string): LogLine[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...lines];
  return lines.filter((line) => {
    const text = line.text.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** `text` cut around each occurrence of the query's words, for highlighting: [plain, match, plain, …]. */
export function highlight(text: string, query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [text];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.split(new RegExp(`(${escaped.join('|')})`, 'i'));
}

/** The lines as a text file: ISO time, stream, version, text; one line each. */
export function logFile(lines: readonly LogLine[]): string {
  return lines.map((l) => `${l.at} ${l.stream}${l.version !== null ? ` v${l.version}` : ''} ${l.text}`).join('\n') + (lines.length ? '\n' : '');
}
