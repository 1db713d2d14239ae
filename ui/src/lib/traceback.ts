/**
 * Python's traceback text as parts the dashboard can show: the app's own frames (the runner names the
 * project's files relative to it, `app.py`; a framework's or the standard library's file is an absolute
 * path, a `<frozen …>` module or `<string>`), runs of other frames to fold away, and the text around
 * them (the "Traceback …" heading, chained-exception sentences, the exception line).
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

export function isProjectFile(file: string): boolean {
  return !file.startsWith('/') && !file.startsWith('<');
}

export function tracebackParts(text: string): TracebackPart[] {
  const parts: TracebackPart[] = [];
  const lines = text.replace(/\n+$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i] ?? '';
    const header = frameLine.exec(current);
    if (!header) {
      const last = parts.at(-1);
      if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: `${last.text}\n${current}` };
      else parts.push({ kind: 'text', text: current });
      continue;
    }
    const code: string[] = [];
    while (i + 1 < lines.length && /^ {4}/.test(lines[i + 1] ?? '')) code.push(lines[++i] ?? '');
    const frame: Frame = { file: header[1] ?? '', line: Number(header[2]), name: header[3] ?? '', code };
    const last = parts.at(-1);
    if (isProjectFile(frame.file)) parts.push({ kind: 'project', frame });
    else if (last?.kind === 'framework') parts[parts.length - 1] = { kind: 'framework', frames: [...last.frames, frame] };
    else parts.push({ kind: 'framework', frames: [frame] });
  }
  return parts;
}
