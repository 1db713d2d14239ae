/**
 * The app's live output (all its runner processes): each line with its time, a search that keeps
 * only matching lines (highlighted), a download of what is held as a text file, and following new
 * lines unless you scroll up.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { clockTime, highlight, logFile, searchLines } from '../lib/log-lines';
import { createLogsStore } from '../stores/logs';

/** `showHeading`: the panel's heading shows (the dashboard); in the editor its tab names it. */
export function LogsPanel({ appId, showHeading = false }: { readonly appId: string; readonly showHeading?: boolean }) {
  const store = useMemo(() => createLogsStore(appId), [appId]);
  const [query, setQuery] = useState('');
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  useEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [store.lines.value, query]);
  const all = store.lines.value;
  const lines = searchLines(all, query);
  const download = () => {
    const url = URL.createObjectURL(new Blob([logFile(all)], { type: 'text/plain;charset=utf-8' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: `app-${appId}-logs-${new Date().toISOString().replace(/[:.]/g, '-')}.txt` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section aria-labelledby={`logs-heading-${appId}`}>
      <div class="logs-tools">
        <h2 id={`logs-heading-${appId}`} class={showHeading ? undefined : 'visually-hidden'}>Logs</h2>
        <span class="muted" role="status">{{ live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', stopped: 'Stopped' }[store.state.value]}</span>
        <label class="visually-hidden" for={`logs-search-${appId}`}>Search the logs</label>
        <input id={`logs-search-${appId}`} type="search" placeholder="Search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="button" class="small" onClick={download} disabled={all.length === 0}>Download</button>
        <button type="button" class="small" onClick={store.clear}>Clear</button>
      </div>
      {query && <p class="muted" role="status">{lines.length} of {all.length} lines match.</p>}
      <pre class="logs" ref={box} tabIndex={0} aria-label="Log lines" data-testid="logs"
        onScroll={(e) => { const el = e.currentTarget; pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24; }}>
        {all.length === 0 ? <span class="muted">No output yet. Deploy the app, or print() from it.</span>
          : lines.map((line) => (
            <div key={line.cursor} class={line.stream ? `line ${line.stream}` : 'line'}>
              <time dateTime={line.at} title={new Date(line.at).toString()}>{clockTime(line.at)}</time>
              <span class="text">{highlight(line.text, query).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</span>
            </div>
          ))}
      </pre>
    </section>
  );
}
