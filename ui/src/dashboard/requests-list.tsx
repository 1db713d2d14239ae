/**
 * The gateway's recent requests: status, method and path, the version that answered, latency, size,
 * and whether the request woke the app (cold, with how long it waited); a failure opens to its
 * exception and traceback.
 */
import { bytes } from '../lib/bytes';
import { where } from '../lib/format';
import { milliseconds } from '../lib/metrics';
import type { DashboardStore } from '../stores/dashboard';
import { editorAt, TracebackView } from './traceback-view';

const time = (iso: string) => new Date(iso).toLocaleTimeString();

export function RequestsList({ appId, store }: { readonly appId: string; readonly store: DashboardStore }) {
  const requests = store.requests.value;
  return (
    <section aria-labelledby="requests-heading" class="card">
      <div class="row">
        <h2 id="requests-heading">Recent requests</h2>
        <span class="spacer" />
        <label class="check">
          <input type="checkbox" checked={store.failedOnly.value} onChange={(e) => store.showFailedOnly(e.currentTarget.checked)} />
          Failed only
        </label>
      </div>
      {requests.length === 0 ? (
        <p class="muted">{store.failedOnly.value ? 'No failed request recently.' : 'No request yet. Open the app, or send one from the editor\'s Test panel.'}</p>
      ) : (
        <ul class="requests" data-testid="requests">
          {requests.map((r) => {
            const failed = r.status >= 500 || r.error !== null;
            const summary = (
              <span class="request-line">
                <span class={`status ${failed ? 'failed' : r.status >= 400 ? 'client' : 'ok'}`}>{r.status}</span>
                <span class="method">{r.method}</span>
                <span class="path">{r.path}</span>
                {r.version !== null && <span class="version" title={`Answered by version ${r.version}`}>v{r.version}</span>}
                {r.coldStart && <span class="badge cold" title="This request woke the app">{r.wakeMs !== null ? `cold · woke in ${milliseconds(r.wakeMs)}` : 'cold'}</span>}
                <span class="muted">{milliseconds(r.latencyMs)} · {bytes(r.bytes)} · <time dateTime={r.at} title={new Date(r.at).toLocaleString()}>{time(r.at)}</time></span>
              </span>
            );
            return (
              <li key={r.id} class={failed ? 'failed' : undefined}>
                {r.error ? (
                  <details>
                    <summary>{summary}</summary>
                    <p>
                      <strong>{r.error.type}</strong>: {r.error.message}
                      {r.error.file && <> (<a href={editorAt(appId, r.error.file, r.error.line ?? 1)}>{where(r.error.file, r.error.line)}</a>)</>}
                    </p>
                    <TracebackView appId={appId} text={r.error.traceback} label={`Traceback of ${r.method} ${r.path}`} />
                  </details>
                ) : summary}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
