/**
 * The HTTP explorer: the app's operations from its own OpenAPI document (choosing one fills the
 * method, the path and query parameters and a JSON body), the request (method, path, headers, body),
 * and the answer: status, time, size, headers and the body pretty-printed; with the history of the
 * last requests, kept across reloads.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { formatBody } from '../lib/headers';
import type { Operation } from '../lib/openapi';
import { createTestPanelStore, withoutBody, type TestPanelStore } from '../stores/test-panel';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function statusClass(status: number): string {
  return status >= 500 ? 'failed' : status >= 400 ? 'client' : 'ok';
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function Operations({ store }: { readonly store: TestPanelStore }) {
  const spec = store.spec.value;
  if (spec.kind === 'loading') return <p class="muted" role="status">Reading the app's OpenAPI document…</p>;
  if (spec.kind === 'none') return <p class="muted">{spec.reason}</p>;
  if (spec.operations.length === 0) return <p class="muted">The app's OpenAPI document ({spec.url}) lists no operation.</p>;
  return (
    <>
      <h3 class="explorer-heading">Operations <span class="muted">from {spec.url}</span></h3>
      <ul class="operations" aria-label="Operations">
        {spec.operations.map((op) => (
          <li key={op.key}>
            <button type="button" aria-current={store.draft.value.operation === op.key ? 'true' : undefined} onClick={() => store.choose(op)}>
              <span class={`method ${op.method.toLowerCase()}`}>{op.method}</span> <span class="mono">{op.path}</span>{op.summary && <span class="muted"> · {op.summary}</span>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function Params({ store, operation }: { readonly store: TestPanelStore; readonly operation: Operation }) {
  const params = operation.parameters.filter((p) => p.in !== 'header');
  if (params.length === 0) return null;
  return (
    <fieldset class="param-grid">
      <legend class="visually-hidden">Parameters of {operation.method} {operation.path}</legend>
      {params.map((p) => {
        const key = `${p.in}:${p.name}`;
        const id = `param-${p.in}-${p.name}`;
        return [
          <label key={`${key}-label`} for={id} title={p.description || undefined}>{p.name}{p.required ? ' *' : ''}</label>,
          <input key={key} id={id} value={store.draft.value.params?.[key] ?? ''} required={p.required} placeholder={p.in === 'path' ? 'in the path' : 'query'}
            onInput={(e) => store.setParam(operation, key, e.currentTarget.value)} />,
        ];
      })}
    </fieldset>
  );
}

export function TestPanel({ appId, servingVersion }: { readonly appId: string; readonly servingVersion: number | null }) {
  const store = useMemo(() => createTestPanelStore(appId), [appId]);
  // The document changes with what serves: read it again after each successful deploy.
  useEffect(() => { void store.loadSpec(); }, [store, servingVersion]);
  const draft = store.draft.value;
  const response = store.response.value;
  const spec = store.spec.value;
  const operation = spec.kind === 'ready' ? spec.operations.find((op) => op.key === draft.operation) : undefined;
  return (
    <section aria-labelledby="test-heading" class="explorer">
      <h2 id="test-heading" class="visually-hidden">Test</h2>
      <Operations store={store} />
      <form class="test-form" onSubmit={(e) => { e.preventDefault(); void store.send(); }}>
        <div class="line">
          <label class="visually-hidden" for="test-method">Method</label>
          <select id="test-method" value={draft.method} onChange={(e) => store.update({ method: e.currentTarget.value })}>
            {methods.map((m) => <option key={m}>{m}</option>)}
          </select>
          <label class="visually-hidden" for="test-path">Path</label>
          <input id="test-path" class="mono" value={draft.path} placeholder="/items?limit=5" onInput={(e) => store.update({ path: e.currentTarget.value })} />
          <button class="primary" type="submit" disabled={store.sending.value}>{store.sending.value ? 'Sending…' : 'Send'}</button>
        </div>
        {operation && <Params store={store} operation={operation} />}
        <label for="test-headers">Headers <span class="muted">(one "Name: value" per line; a body gets a Content-Type unless you set one)</span></label>
        <textarea id="test-headers" rows={2} class="mono" value={draft.headers} onInput={(e) => store.update({ headers: e.currentTarget.value })} />
        {!withoutBody.includes(draft.method) && <>
          <label for="test-body">Body</label>
          <textarea id="test-body" rows={6} class="mono" value={draft.body} spellcheck={false} onInput={(e) => store.update({ body: e.currentTarget.value })} />
        </>}
      </form>
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {response && (
        <div aria-live="polite" data-testid="test-response">
          <p class="response-meta">
            <span class={`status ${statusClass(response.status)}`} data-testid="response-status">{response.status}</span>
            <span>{Math.round(response.latencyMs)} ms</span>
            <span class="muted">{size(new TextEncoder().encode(response.body).length)}{response.truncated ? ' · body cut at 1 MiB' : ''}</span>
            <span class="muted">{response.headers['content-type'] ?? ''}</span>
          </p>
          <pre class="response-body" tabIndex={0} aria-label="Response content">{formatBody(response.body, response.headers['content-type'])}</pre>
          <details class="response-headers">
            <summary>Response headers ({Object.keys(response.headers).length})</summary>
            <dl class="headers-table">
              {Object.entries(response.headers).map(([name, value]) => [<dt key={`${name}-n`}>{name}</dt>, <dd key={`${name}-v`}>{value}</dd>])}
            </dl>
          </details>
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
