/**
 * The app's sleep on its dashboard: awake, asleep or waking and since when, what wakes it, how long
 * the last wake took, and after how long without a request it sleeps. The owner sets that idle
 * timeout (or goes back to the platform's default); the API judges the range and its sentence shows
 * beside the field, with nothing changed. An admin also sees the always-on switch.
 */
import { useEffect, useState } from 'preact/hooks';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { milliseconds } from '../lib/metrics';
import { duration, fieldOf, secondsOf, sleepRule, sleepState, units, type Unit } from '../lib/sleep';
import { timeAgo } from '../lib/format';
import type { SleepStore } from '../stores/sleep';

export interface Props {
  readonly store: SleepStore;
  /** The signed-in user is an admin: the always-on switch shows. */
  readonly admin: boolean;
}

export function SleepCard({ store, admin }: Props) {
  const sleep = store.sleep.value;
  const [value, setValue] = useState('');
  const [unit, setUnit] = useState<Unit>('minutes');
  const [filled, setFilled] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  /** The switch as clicked, until the API answers (a controlled checkbox would otherwise snap back). */
  const [pendingAlwaysOn, setPendingAlwaysOn] = useState<boolean | null>(null);
  const fill = (seconds: number | null) => {
    if (seconds === null) return;
    const field = fieldOf(seconds);
    setValue(field.value);
    setUnit(field.unit);
  };
  useEffect(() => {
    if (!sleep || filled) return;
    fill(sleep.idleTimeoutSeconds ?? sleep.effectiveIdleTimeoutSeconds);
    setFilled(true);
  }, [sleep, filled]);
  if (!sleep) {
    return (
      <section aria-labelledby="sleep-heading" class="card">
        <h2 id="sleep-heading">Sleep</h2>
        {store.error.value ? <div class="alert" role="alert">{store.error.value}</div> : <p role="status" class="muted">Loading…</p>}
      </section>
    );
  }
  const state = sleepState(sleep);
  const save = async (seconds: number | null) => {
    setBusy(true);
    setStatus('');
    try {
      const saved = await store.setIdleTimeout(seconds);
      setErrors(noErrors);
      fill(saved.idleTimeoutSeconds ?? saved.effectiveIdleTimeoutSeconds);
      setStatus(saved.idleTimeoutSeconds === null
        ? `Saved: the platform's default applies (${duration(saved.effectiveIdleTimeoutSeconds ?? 0)}).`
        : `Saved: it sleeps after ${duration(saved.idleTimeoutSeconds)} without a request.`);
    } catch (error) {
      const found = formErrors(error, ['idleTimeoutSeconds']);
      // The API's sentence goes beside the field, whichever part of its answer carries it.
      setErrors({ summary: null, fields: { idleTimeoutSeconds: found.fields.idleTimeoutSeconds ?? found.summary ?? '' } });
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const parsed = secondsOf(value, unit);
    if ('problem' in parsed) {
      setStatus('');
      setErrors({ summary: null, fields: { idleTimeoutSeconds: parsed.problem } });
      return;
    }
    void save(parsed.seconds);
  };
  const toggleAlwaysOn = async (on: boolean) => {
    setBusy(true);
    setStatus('');
    setPendingAlwaysOn(on);
    try {
      await store.setAlwaysOn(on);
      setStatus(on ? 'Always on: this app never sleeps.' : 'No longer always on: it sleeps again when idle.');
    } catch (error) {
      setStatus(formErrors(error, []).summary ?? '');
    } finally {
      setPendingAlwaysOn(null);
      setBusy(false);
    }
  };
  const problem = errors.fields.idleTimeoutSeconds;
  return (
    <section aria-labelledby="sleep-heading" class="card sleep-card">
      <h2 id="sleep-heading">Sleep</h2>
      <dl class="facts">
        <dt>Now</dt>
        <dd data-testid="sleep-state">
          <span class={`badge ${state.tone}`}>{state.text}</span>{' '}
          {sleep.since ? <>since <time dateTime={sleep.since} title={new Date(sleep.since).toLocaleString()}>{new Date(sleep.since).toLocaleTimeString()}</time> ({timeAgo(sleep.since)})</> : null}
          <div class="muted">{state.sentence}</div>
        </dd>
        {sleep.state !== 'awake' && (
          <>
            <dt>What wakes it</dt>
            <dd>Any request to its address: opening the app, a request from the editor's Test panel, or a deploy. Browsers see a short "starting" page; API clients wait.</dd>
          </>
        )}
        <dt>Sleeps</dt>
        <dd data-testid="sleep-rule">{sleepRule(sleep)}</dd>
        {sleep.lastWakeMs !== null && (
          <>
            <dt>Last wake</dt>
            <dd>Took {milliseconds(sleep.lastWakeMs)}</dd>
          </>
        )}
      </dl>
      <form class="idle-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="idle-timeout">Sleep after this long without a request</label>
          <div class="row idle-inputs">
            <input id="idle-timeout" type="text" inputMode="decimal" value={value} size={6}
              onInput={(e) => { setValue(e.currentTarget.value); setStatus(''); }}
              aria-invalid={problem ? 'true' : undefined} aria-describedby={`idle-timeout-hint${problem ? ' idle-timeout-problem' : ''}`} />
            <label class="visually-hidden" for="idle-timeout-unit">Unit</label>
            <select id="idle-timeout-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value as Unit)}>
              {units.map((u) => <option key={u.id} value={u.id}>{u.label}</option>)}
            </select>
            <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
            {sleep.idleTimeoutSeconds !== null && (
              <button type="button" disabled={busy} onClick={() => void save(null)}>Use the platform's default</button>
            )}
          </div>
          <div id="idle-timeout-hint" class="hint">From 10 seconds to 7 days.{sleep.alwaysOn ? ' It applies once the app is no longer always on.' : ''}</div>
          {problem && <div id="idle-timeout-problem" class="problem" data-testid="idle-timeout-problem">{problem}</div>}
        </div>
      </form>
      {admin && (
        <label class="check">
          <input type="checkbox" checked={pendingAlwaysOn ?? sleep.alwaysOn} disabled={busy} onChange={(e) => void toggleAlwaysOn(e.currentTarget.checked)} />
          Always on <span class="muted">(admins only: it never sleeps)</span>
        </label>
      )}
      <p class="status" role="status">{status}</p>
    </section>
  );
}
