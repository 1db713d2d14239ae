/**
 * Live logs of one app over the log WebSocket: a fresh single-use ticket per connection, the last
 * 1,000 lines kept, and after a drop a reconnect that resumes after the last cursor (no line twice).
 */
import { signal } from '@preact/signals';
import { api } from '../http/client';
import type { LogLine } from '../http/client';

export function createLogsStore(appId: string) {
  const lines = signal<LogLine[]>([]);
  const state = signal<'connecting' | 'live' | 'reconnecting' | 'stopped'>('stopped');
  let socket: WebSocket | null = null;
  let stopped = true;
  let retryMs = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function connect(): Promise<void> {
    if (stopped) return;
    state.value = lines.value.length ? 'reconnecting' : 'connecting';
    let url: string;
    try {
      const ticket = await api.logTicket({ params: { appId } });
      const after = lines.value.at(-1)?.cursor;
      url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ticket.url}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    } catch {
      return retry();
    }
    if (stopped) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => { state.value = 'live'; retryMs = 500; };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { type: string } & LogLine;
      if (message.type !== 'log') return;
      const { type: _type, ...line } = message;
      lines.value = [...lines.value.slice(-999), line];
    };
    ws.onclose = () => { if (socket === ws) retry(); };
  }

  function retry(): void {
    if (stopped) return;
    state.value = 'reconnecting';
    timer = setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  }

  function start(): void {
    if (!stopped) return;
    stopped = false;
    void connect();
  }

  function stop(): void {
    stopped = true;
    clearTimeout(timer);
    const ws = socket;
    socket = null;
    ws?.close();
    state.value = 'stopped';
  }

  return { lines, state, start, stop, clear: () => { lines.value = []; } };
}

export type LogsStore = ReturnType<typeof createLogsStore>;
