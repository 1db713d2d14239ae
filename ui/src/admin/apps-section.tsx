/**
 * Apps, for admins: make an app always on (it never sleeps, and a sleeping one wakes now) or let it
 * sleep again when idle. The app is named by its id, its address or a link to one of its screens; the
 * API's answer (its sleep state) shows for each app changed here, and its refusal beside the field.
 */
import { useState } from 'preact/hooks';
import { api } from '../http/client';
import { appIdIn } from '../lib/app-ref';
import { formErrors } from '../lib/form-errors';
import { sleepRule, sleepState, type Sleep } from '../lib/sleep';

interface Changed {
  readonly appId: string;
  readonly sleep: Sleep;
}

export function AppsSection() {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState<Changed[]>([]);
  const [status, setStatus] = useState('');
  const apply = async (alwaysOn: boolean) => {
    setStatus('');
    const appId = appIdIn(text);
    if (!appId) {
      setProblem(text.trim() === '' ? 'Give the app\'s id, address or dashboard link.' : `No app id in "${text.trim()}": an id is 10 letters and digits, as in app-<id> or /apps/<id>.`);
      return;
    }
    setBusy(true);
    try {
      const sleep = await api.adminSetAlwaysOn({ params: { appId }, body: { alwaysOn } });
      setProblem(null);
      setChanged((list) => [{ appId, sleep }, ...list.filter((c) => c.appId !== appId)]);
      setStatus(alwaysOn ? `App ${appId} is always on: it never sleeps.` : `App ${appId} sleeps again when idle.`);
    } catch (error) {
      const found = formErrors(error, []);
      setProblem(found.summary);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="apps-heading" class="admin-form">
      <h2 id="apps-heading">Apps</h2>
      <form class="card" onSubmit={(e) => { e.preventDefault(); void apply(true); }} noValidate>
        <h3>Always on</h3>
        <p class="muted">An always-on app never sleeps, whatever its idle timeout; granting it wakes a sleeping app at once. Its owner sees it on the app's dashboard.</p>
        <div class="field">
          <label for="always-on-app">App</label>
          <input id="always-on-app" type="text" value={text} placeholder="Its id, address or dashboard link" autoComplete="off"
            onInput={(e) => { setText(e.currentTarget.value); setStatus(''); }}
            aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'always-on-app-problem' : 'always-on-app-hint'} />
          {problem ? <div id="always-on-app-problem" class="problem">{problem}</div>
            : <div id="always-on-app-hint" class="hint">For example <code>app-k3x9q2m1za.example.com</code> or <code>k3x9q2m1za</code>.</div>}
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>Make always on</button>
          <button type="button" disabled={busy} onClick={() => void apply(false)}>Let it sleep when idle</button>
        </div>
      </form>
      <p class="status" role="status">{status}</p>
      {changed.length > 0 && (
        <ul class="admin-list" aria-label="Apps changed here">
          {changed.map(({ appId, sleep }) => {
            const state = sleepState(sleep);
            return (
              <li key={appId} class="card admin-item" data-app-id={appId}>
                <div class="summary">
                  <div class="row"><strong class="mono">{appId}</strong><span class={`badge ${state.tone}`}>{state.text}</span></div>
                  <div class="muted">Sleeps: {sleepRule(sleep)}</div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
