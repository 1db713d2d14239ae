/**
 * The runner reports failures as one JSON line on stderr (`{"fp": ...}`) for the platform to read. In
 * the app's log a person reads them, so they are written out as the sentence and traceback they stand for.
 */
const text = (value: unknown) => (typeof value === 'string' ? value : '');

function tracebackLines(event: Record<string, unknown>): string[] {
  const traceback = text(event.traceback).trimEnd();
  return traceback ? traceback.split('\n') : [];
}

/** The log lines a structured runner line stands for; the line itself when it is not one we word. */
export function readableRunnerLines(event: Record<string, unknown>, raw: string): string[] {
  const error = `${text(event.type)}: ${text(event.message)}`;
  switch (event.fp) {
    case 'request-exception':
      return [`${text(event.method)} ${text(event.path)} raised ${error}`, ...tracebackLines(event)];
    case 'start-failed':
      return [`The app did not start: ${error}${text(event.file) ? ` (${text(event.file)}${typeof event.line === 'number' ? `:${event.line}` : ''})` : ''}`, ...tracebackLines(event)];
    case 'imported':
      return [`Imported ${text(event.entrypoint)} (${text(event.framework) || 'an ASGI app'})`];
    case 'listening':
      return [`Serving on ${text(event.listen) || `${text(event.host)}:${typeof event.port === 'number' ? event.port : '?'}`}`];
    case 'shutdown-error':
      return [`The app's shutdown raised ${error}`];
    default:
      return [raw];
  }
}

/** One log line as people read it: a structured runner line written out (its lines joined), any other as it is. */
export function readableLogText(text: string): string {
  if (!text.startsWith('{"fp"')) return text;
  try {
    return readableRunnerLines(JSON.parse(text) as Record<string, unknown>, text).join('\n');
  } catch {
    return text;
  }
}
