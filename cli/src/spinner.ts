/**
 * Progress for long operations: a live spinner on stderr when it is a terminal (clack's), plain lines
 * otherwise (CI logs, pipes), one per change. Never on stdout, so `--json` output stays clean.
 */
import type { Output } from './context.js';

export interface Progress {
  update(message: string): void;
  done(message: string): void;
  fail(message: string): void;
}

export async function progress(out: Output, first: string): Promise<Progress> {
  if (!out.err.isTTY) {
    let last = '';
    const line = (text: string) => {
      if (text !== last) out.err.write(`${text}\n`);
      last = text;
    };
    line(first);
    return { update: line, done: line, fail: line };
  }
  const { spinner } = await import('@clack/prompts');
  const plain = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const s = spinner({ output: out.err, withGuide: false, ...(plain ? { styleFrame: (frame: string) => frame } : {}) });
  s.start(first);
  return { update: (m) => s.message(m), done: (m) => s.stop(m), fail: (m) => s.error(m) };
}
