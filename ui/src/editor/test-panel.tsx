/** Send one request to the app (method, path, headers, body) and see status, latency and body; with history. */
import { useMemo } from 'preact/hooks';
import { formatBody } from '../lib/headers';
import { createTestPanelStore } from '../stores/test-panel';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function TestPanel({ appId }: { readonly appId: string }) {
  const store = useMemo(() => createTestPanelStore(appId), [appId]);
  const draft = store.draft.value;
  const response = store.response.value;
  const withBody = !['GET', 'HEAD', 'OPTIONS'].includes(draft.method);
  return (
    <section aria-labelledby="test-heading">
      <h2 id="test-heading" class="visually-hidden">Test</h2>
      <form class="test-form" onSubmit={(e) => { e.preventDefault(); void store.send(); }}>
        <div class="line">
          <label class="visually-hidden" for="test-method">Method</label>
          <select id="test-method" value={draft.method} onChange={(e) => store.update({ method: e.currentTarget.value })}>
            {methods.map((m) => <option key={m}>{m}</option>)}
          </select>
          <label class="visually-hidden" for="test-path">Path</label>
          <input id="test-path" value={draft.path} placeholder="/items?limit=5" onInput={(e) => store.update({ path: e.currentTarget.value })} />
          <button class="primary" type="submit" disabled={store.sending.value}>{store.sending.value ? 'Sending…' : 'Send'}</button>
        </div>
        <label for="test-headers">Headers <span class="muted">(one "Name: value" per line)</span></label>
        <textarea id="test-headers" rows={2} value={draft.headers} onInput={(e) => store.update({ headers: e.currentTarget.value })} />
        {withBody && <>
          <label for="test-body">Body</label>
          <textarea id="test-body" rows={4} class="mono" value={draft.body} onInput={(e) => store.update({ body: e.currentTarget.value })} />
        </>}
      </form>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {response && (
        <div aria-live="polite" data-testid="test-response">
          <p><strong>{response.status}</strong> · {Math.round(response.latencyMs)} ms{response.truncated ? ' · body cut at 1 MiB' : ''}</p>
          <pre class="response-body">{formatBody(response.body, response.headers['content-type'])}</pre>
        </div>
      )}
      {store.history.value.length > 0 && <>
        <h3>History</h3>
        <ul class="history">
          {store.history.value.map((entry) => (
            <li key={entry.at}>
              <button type="button" onClick={() => store.load(entry)}><span class="mono">{entry.request.method} {entry.request.path}</span><span class="spacer" />{entry.status} · {Math.round(entry.latencyMs)} ms</button>
            </li>
          ))}
        </ul>
      </>}
    </section>
  );
}
