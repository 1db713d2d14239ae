/**
 * A traceback as parts the dashboard can show: the app's own frames (the runners name the project's
 * files relative to it, `app.py` or `app.ts`; a framework's or the standard library's file is an
 * absolute path, a `<frozen …>` module, `<string>`, a `node:` or `file:` URL), runs of other frames to
 * fold away, and the text around them (the "Traceback …" heading, chained-exception sentences, the
 * exception line). Python's tracebacks and Node's stacks (`    at fn (app.ts:3:11)`) both read.
 */
export interface Frame {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** The source line and any caret markers under it, as Python printed them. */
  readonly code: readonly string[];
}

export type TracebackPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'project'; readonly frame: Frame }
  | { readonly kind: 'framework'; readonly frames: readonly Frame[] };

const frameLine = /^ {2}File "(.+)", line (\d+), in (.+)$/;
/** Node's `    at name (file:line:column)` or `    at file:line:column`. */
const stackLine = /^ {4}at (?:(.+?) \()?([^()\s]+):(\d+):\d+\)?$/;

export function isProjectFile(file: string): boolean {
  return !file.startsWith('/') && !file.startsWith('<') && !/^[a-z]+:/.test(file);
}

function frameAt(lines: readonly string[], i: number): { frame: Frame; end: number } | null {
  const current = lines[i] ?? '';
  const header = frameLine.exec(current);
  if (header) {
    const code: string[] = [];
    let end = i;
    while (end + 1 < lines.length && /^ {4}/.test(lines[end + 1] ?? '')) code.push(lines[++end] ?? '');
    return { frame: { file: header[1] ?? '', line: Number(header[2]), name: header[3] ?? '', code }, end };
  }
  const stack = stackLine.exec(current);
  if (stack) return { frame: { file: stack[2] ?? '', line: Number(stack[3]), name: stack[1] ?? '<anonymous>', code: [] }, end: i };
  return null;
}

export function tracebackParts(text: string): TracebackPart[] {
  const parts: TracebackPart[] = [];
  const lines = text.replace(/\n+$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i] ?? '';
    const found = frameAt(lines, i);
    if (!found) {
      const last = parts.at(-1);
      if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: `${last.text}\n${current}` };
      else parts.push({ kind: 'text', text: current });
      continue;
    }
    const { frame } = found;
    i = found.end;
    const last = parts.at(-1);
    if (isProjectFile(frame.file)) parts.push({ kind: 'project', frame });
    else if (last?.kind === 'framework') parts[parts.length - 1] = { kind: 'framework', frames: [...last.frames, frame] };
    else parts.push({ kind: 'framework', frames: [frame] });
  }
  return parts;
}
