/**
 * Platform settings: sign-ups, the allowed imports (or the defaults), validation limits, apps and
 * databases per user, and how long an app may go without a request before it sleeps.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../http/client';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { Field } from '../components/field';
import { useStores } from '../stores/context';
import { bodyOf, formFields, importLines, toFormFields, valuesOf, type NumberName, type SettingsValues } from './settings-form';
import type { AdminSettings } from '../http/client';

const numbers: { name: NumberName; label: string; min: number; max: number; hint: string }[] = [
  { name: 'maxFiles', label: 'Files per app', min: 1, max: 500, hint: 'From 1 to 500.' },
  { name: 'maxFileBytes', label: 'Largest file (bytes)', min: 1024, max: 1024 * 1024, hint: 'From 1024 to 1048576 (1 MiB).' },
  { name: 'maxTotalBytes', label: 'All files of an app together (bytes)', min: 1024, max: 900 * 1024, hint: 'From 1024 to 921600: an app must fit in 1 MiB.' },
  { name: 'maxAppsPerUser', label: 'Apps per user', min: 1, max: 10_000, hint: 'From 1 to 10000.' },
  { name: 'maxDatabasesPerUser', label: 'Databases per user', min: 1, max: 100, hint: 'From 1 to 100.' },
];
const idle = { name: 'idleTimeoutMinutes', label: 'Idle apps sleep after (minutes)', min: 1, max: 7 * 24 * 60, hint: 'From 1 to 10080 (7 days). Owners may set their own per app; always-on apps never sleep.' } as const;


export function SettingsSection() {
  const { session } = useStores();
  const [settings, setSettings] = useState<AdminSettings | null>(null);
  const [values, setValues] = useState<SettingsValues | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const loaded = (s: AdminSettings) => {
    setSettings(s);
    setValues(valuesOf(s));
  };
  useEffect(() => {
    api.adminSettings().then(loaded, (e: Error) => setLoadError(e.message));
  }, []);
  if (loadError) return <div class="alert" role="alert">{loadError}</div>;
  if (!settings || !values) return <p role="status">Loading the settings…</p>;
  const set = (patch: Partial<SettingsValues>) => {
    setValues({ ...values, ...patch });
    setStatus('');
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setStatus('');
    const result = bodyOf(values);
    if ('problems' in result) {
      setErrors({ summary: 'Please fix the fields marked below.', fields: result.problems });
      return;
    }
    setBusy(true);
    try {
      const saved = await api.adminUpdateSettings({ body: result.body });
      loaded(saved);
      session.signupsAllowed.value = saved.allowSignups;
      setErrors(noErrors);
      setStatus('Settings saved.');
    } catch (error) {
      setErrors(formErrors(toFormFields(error, importLines(values.imports)), formFields));
    } finally {
      setBusy(false);
    }
  };
  const importsProblem = errors.fields.imports;
  return (
    <form class="admin-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
      <fieldset class="card">
        <legend>Accounts</legend>
        <label class="check">
          <input type="checkbox" checked={values.allowSignups} onChange={(e) => set({ allowSignups: e.currentTarget.checked })} aria-describedby="signups-hint" />
          Allow sign-ups
        </label>
        <div id="signups-hint" class="hint muted">When off, the sign-up page says sign-ups are closed; admins can still create users.</div>
      </fieldset>
      <fieldset class="card">
        <legend>Allowed imports</legend>
        <label class="check">
          <input type="checkbox" checked={values.useDefaultImports} onChange={(e) => set({ useDefaultImports: e.currentTarget.checked })} />
          Use the defaults
        </label>
        {values.useDefaultImports
          ? <p class="muted imports-list">{settings.defaultAllowedImports.length} modules: {settings.defaultAllowedImports.join(', ')}.</p>
          : (
            <div class="field">
              <label for="allowed-imports">Allowed imports, one module per line</label>
              <textarea id="allowed-imports" class="mono" rows={10} value={values.imports} onInput={(e) => set({ imports: e.currentTarget.value })}
                aria-invalid={importsProblem ? 'true' : undefined} aria-describedby={`allowed-imports-hint${importsProblem ? ' allowed-imports-problem' : ''}`} />
              <div id="allowed-imports-hint" class="hint">A module also allows its submodules: <code>google.auth</code> allows <code>google.auth.jwt</code>.</div>
              {importsProblem && <div id="allowed-imports-problem" class="problem">{importsProblem}</div>}
            </div>
          )}
      </fieldset>
      <fieldset class="card">
        <legend>Limits</legend>
        <div class="number-grid">
          {numbers.map((n) => (
            <Field key={n.name} id={`setting-${n.name}`} type="number" label={n.label} min={n.min} max={n.max} hint={n.hint} value={values[n.name]}
              problem={errors.fields[n.name]} onInput={(e) => set({ [n.name]: e.currentTarget.value })} />
          ))}
        </div>
      </fieldset>
      <fieldset class="card">
        <legend>Sleep</legend>
        <Field id={`setting-${idle.name}`} type="number" label={idle.label} min={idle.min} max={idle.max} hint={idle.hint} value={values[idle.name]}
          problem={errors.fields[idle.name]} onInput={(e) => set({ [idle.name]: e.currentTarget.value })} />
      </fieldset>
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
        <p class="status" role="status">{status}</p>
      </div>
    </form>
  );
}
