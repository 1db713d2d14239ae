/**
 * A request's traceback as Python printed it, with the app's own frames marked and linked to that line
 * in the editor, and each run of framework frames folded into one line that opens to show them.
 */
import { tracebackParts, type Frame } from '../lib/traceback';

export const editorAt = (appId: string, file: string, line: number) => `/apps/${appId}?file=${encodeURIComponent(file)}&line=${line}`;

function FrameLines({ frame }: { readonly frame: Frame }) {
  return <>{`  File "${frame.file}", line ${frame.line}, in ${frame.name}`}{frame.code.map((code) => `\n${code}`).join('')}</>;
}

export function TracebackView({ appId, text, label }: { readonly appId: string; readonly text: string; readonly label: string }) {
  return (
    <div class="traceback" tabIndex={0} role="group" aria-label={label}>
      {tracebackParts(text).map((part, i) => {
        if (part.kind === 'text') return <pre key={i}>{part.text}</pre>;
        if (part.kind === 'project') {
          const { frame } = part;
          return (
            <div key={i} class="tb-project">
              <a href={editorAt(appId, frame.file, frame.line)}>{frame.file}:{frame.line}</a> <span class="muted">in {frame.name} · your code</span>
              <pre><FrameLines frame={frame} /></pre>
            </div>
          );
        }
        const count = part.frames.length;
        return (
          <details key={i} class="tb-framework">
            <summary>{count} framework frame{count === 1 ? '' : 's'}</summary>
            <pre>{part.frames.map((frame, j) => <span key={j}>{j > 0 ? '\n' : ''}<FrameLines frame={frame} /></span>)}</pre>
          </details>
        );
      })}
    </div>
  );
}
