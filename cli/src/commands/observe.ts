/**
 * fp logs (recent lines over HTTP; --follow over the log WebSocket, reconnecting from the last line's
 * cursor so nothing repeats and nothing is lost) and fp requests (the platform's request records,
 * filtered by status, method and path).
 */
import type { LogLine, RequestRecord } from '../../../contract/index.js';
import { resolveApp } from '../apps.js';
import { output, session, type GlobalOptions, type Output, type Session } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { json, table } from '../output.js';

type Options = GlobalOptions & { follow?: boolean; since?: string; tail?: number; status?: string; method?: string; path?: string; failed?: boolean; limit?: number };

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "30s", "10m", "2h", "1d" ago, or an ISO time, as an ISO time. */
export function sinceTime(value: string, now = Date.now()): string {
  const relative = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (relative) return new Date(now - Number(relative[1]) * (units[relative[2] ?? 's'] ?? 1) * 1000).toISOString();
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new CliError(`--since takes 30s, 10m, 2h, 1d or an ISO time, not "${value}".`, exitCodes.usage);
  return new Date(absolute).toISOString();
}

function printLine(out: Output, line: LogLine): void {
  if (out.json) return void out.out.write(`${JSON.stringify(line)}\n`);
  const time = out.paint('dim', line.at.slice(11, 19));
  out.line(`${time} ${line.stream === 'stderr' ? out.paint('yellow', line.text) : line.text}`);
}

export async function logs(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const { id } = await resolveApp(s, args[0]);
  const query = { tail: options.tail ?? 100, ...(options.since ? { since: sinceTime(options.since) } : {}) };
  const { lines } = await s.api.logs({ params: { appId: id }, query });
  for (const line of lines) printLine(out, line);
  if (options.follow) await follow(s, id, lines.at(-1)?.cursor, out);
}

async function follow(s: Session, appId: string, after: string | undefined, out: Output): Promise<void> {
  const { WebSocket } = await import('ws');
  let cursor = after;
  let delay = 500;
  let stopping = false;
  let socket: InstanceType<typeof WebSocket> | undefined;
  // Ctrl-C is how following ends: exit 0.
  process.removeAllListeners('SIGINT');
  process.once('SIGINT', () => {
    stopping = true;
    socket?.close();
    process.exit(exitCodes.ok);
  });
  while (!stopping) {
    const ticket = await s.api.logTicket({ params: { appId } });
    const url = new URL(ticket.url, s.platform.url);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (cursor) url.searchParams.set('after', cursor);
    const closed = await new Promise<{ code: number; reason: string; opened: boolean }>((resolve) => {
      let opened = false;
      const ws = new WebSocket(url, { headers: { 'user-agent': 'fp' } });
      socket = ws;
      ws.on('open', () => { opened = true; delay = 500; });
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string } & Partial<LogLine>;
        if (message.type !== 'log') return;
        const { type: _type, ...line } = message;
        cursor = line.cursor;
        printLine(out, line as LogLine);
      });
      ws.on('error', () => undefined);
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason), opened }));
    });
    if (closed.code === 4404) throw new CliError('The app is gone (deleted while following its logs).', exitCodes.notFound);
    if (!out.json) out.note(out.paintErr('dim', `(log stream ${closed.opened ? 'interrupted' : 'unreachable'}${closed.reason ? `: ${closed.reason}` : ''}; reconnecting from the last line…)`));
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

function requestLine(out: Output, r: RequestRecord): string[] {
  const status = r.status >= 500 ? out.paint('red', String(r.status)) : r.status >= 400 ? out.paint('yellow', String(r.status)) : String(r.status);
  return [r.at.slice(0, 19).replace('T', ' '), r.method, status, `${Math.round(r.latencyMs)} ms${r.coldStart ? ' (cold)' : ''}`, r.path];
}

export async function requests(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const { id } = await resolveApp(s, args[0]);
  const query = {
    limit: options.limit ?? 50, ...(options.status ? { status: options.status } : {}), ...(options.method ? { method: options.method } : {}),
    ...(options.path ? { path: options.path } : {}), ...(options.failed ? { failed: 'true' as const } : {}),
  };
  const { requests: list } = await s.api.requests({ params: { appId: id }, query });
  if (out.json) return json(out.out, { requests: list });
  if (list.length === 0) return out.line('No request matches (the platform keeps the newest 200).');
  out.line(table([['TIME', 'METHOD', 'STATUS', 'LATENCY', 'PATH'].map((h) => out.paint('dim', h)), ...list.map((r) => requestLine(out, r))]));
  for (const r of list.filter((x) => x.error)) {
    out.line('');
    out.line(`${out.paint('red', `${r.method} ${r.path} → ${r.status}`)}: ${r.error?.type}: ${r.error?.message}${r.error?.file ? ` (${r.error.file}:${r.error.line})` : ''}`);
    out.line(out.paint('dim', (r.error?.traceback ?? '').trimEnd()));
  }
}
