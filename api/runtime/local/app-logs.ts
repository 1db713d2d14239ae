/**
 * An app's recent output across its runner processes: the last `capacity` lines in memory, each with
 * a cursor `<boot>.<seq>`. The boot part makes cursors from before a platform restart recognisable:
 * a reader holding one gets every line held now (all of them are newer), never a silent gap.
 */
import type { LogLine, LogQuery } from '../types.js';
import { Feed, type FeedItem } from '../feed.js';

interface Line {
  readonly at: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly version: number | null;
}

/** Longer lines are cut: one runaway print must not hold megabytes per line. */
const maxLineChars = 16_384;
const boot = Date.now().toString(36);

export class AppLogs {
  private readonly feed: Feed<Line>;

  constructor(capacity = 5000) {
    this.feed = new Feed(capacity);
  }

  push(stream: 'stdout' | 'stderr', text: string, version: number | null): void {
    const cut = text.length > maxLineChars ? `${text.slice(0, maxLineChars)}… [${text.length - maxLineChars} more characters]` : text;
    this.feed.push({ at: new Date().toISOString(), stream, text: cut, version });
  }

  close(): void {
    this.feed.close();
  }

  private static toLine(entry: FeedItem<Line>): LogLine {
    return { cursor: `${boot}.${entry.seq}`, ...entry.item };
  }

  /** The sequence number to read after, from a cursor (0 for "everything held"). */
  private start(query: LogQuery): number {
    if (query.after) {
      const [cursorBoot, seq] = query.after.split('.');
      if (cursorBoot === boot && seq && /^\d+$/.test(seq)) return Number(seq);
      return 0;
    }
    const held = query.since ? this.feed.after(0).filter((e) => e.item.at >= (query.since as Date).toISOString()) : this.feed.after(0);
    const first = held.slice(-(query.tail ?? 200))[0];
    return first ? first.seq - 1 : this.feed.lastSeq;
  }

  async *read(query: LogQuery): AsyncGenerator<LogLine> {
    const from = this.start(query);
    if (!query.follow) {
      const lines = this.feed.after(from);
      for (const entry of query.after ? lines : lines.slice(-(query.tail ?? 200))) yield AppLogs.toLine(entry);
      return;
    }
    for await (const entry of this.feed.follow(from, query.signal)) yield AppLogs.toLine(entry);
  }
}
