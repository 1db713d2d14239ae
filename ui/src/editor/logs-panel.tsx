/** The app's live output (all its runner processes), following new lines unless you scroll up. */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { createLogsStore } from '../stores/logs';

/** `showHeading`: the panel's heading shows (the dashboard); in the editor its tab names it. */
export function LogsPanel({ appId, showHeading = false }: { readonly appId: string; readonly showHeading?: boolean }) {
  const store = useMemo(() => createLogsStore(appId), [appId]);
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  useEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [store.lines.value]);
  const lines = store.lines.value;
  return (
    <section aria-labelledby="logs-heading">
      <div class="row">
        <h2 id="logs-heading" class={showHeading ? undefined : 'visually-hidden'}>Logs</h2>
        <span class="muted" role="status">{{ live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', stopped: 'Stopped' }[store.state.value]}</span>
        <span class="spacer" />
        <button type="button" onClick={store.clear}>Clear</button>
      </div>
      <pre class="logs" ref={box} tabIndex={0} aria-label="Log lines" data-testid="logs"
        onScroll={(e) => { const el = e.currentTarget; pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24; }}>
        {lines.length === 0 ? <span class="muted">No output yet. Deploy the app, or print() from it.</span>
          : lines.map((line) => <div key={line.cursor} class={line.stream ?? undefined}>{line.text}</div>)}
      </pre>
    </section>
  );
}
