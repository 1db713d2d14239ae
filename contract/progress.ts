/**
 * Follows a rollout's progress stream (server-sent events from the `progress` route) and hands each
 * event to `onEvent` until the stream ends or `signal` aborts. A fetch stream, not EventSource: the
 * stream ends by itself after ready or failed, and EventSource would reconnect.
 */
import type { Client } from './client.js';
import type { ProgressEvent } from './types.js';

export async function followProgress(client: Client, appId: string, onEvent: (event: ProgressEvent) => void, signal?: AbortSignal): Promise<void> {
  const res = await client.stream('progress', { params: { appId } }, signal);
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
      if (block.startsWith('event: progress') && data) onEvent(JSON.parse(data) as ProgressEvent);
      end = buffer.indexOf('\n\n');
    }
  }
}
