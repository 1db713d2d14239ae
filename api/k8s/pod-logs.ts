/**
 * A container's log through the apiserver (`pods/log`), as lines with the kubelet's timestamps
 * (`timestamps=true`: each line starts with an RFC3339Nano time and a space).
 */
import * as k8s from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type { KubeClient } from './client.js';
import { toDomainError } from './errors.js';

export interface PodLogOptions {
  readonly follow: boolean;
  /** RFC3339; the apiserver keeps whole seconds. */
  readonly sinceTime?: string;
  readonly tailLines?: number;
  readonly signal?: AbortSignal;
}

export interface TimestampedLine {
  /** The kubelet's RFC3339Nano timestamp, as written. */
  readonly timestamp: string;
  readonly text: string;
}

export async function* podLogLines(client: KubeClient, namespace: string, pod: string, container: string, options: PodLogOptions): AsyncGenerator<TimestampedLine> {
  const stream = new PassThrough();
  let controller: AbortController;
  try {
    controller = await new k8s.Log(client.config).log(namespace, pod, container, stream, {
      follow: options.follow, timestamps: true,
      ...(options.sinceTime ? { sinceTime: options.sinceTime } : {}),
      ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
    });
  } catch (error) {
    throw toDomainError(error, `read the log of pod ${pod}`);
  }
  const abort = () => { controller.abort(); stream.end(); };
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
      const space = raw.indexOf(' ');
      if (space > 0) yield { timestamp: raw.slice(0, space), text: raw.slice(space + 1) };
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
    controller.abort();
  }
}
