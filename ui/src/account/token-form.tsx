/** Creates a personal API token: a name and an optional expiry; the API's problems show next to their fields. */
import { useState } from 'preact/hooks';
import { Field } from '../components/field';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import type { AccountStore } from '../stores/account';

export interface Props {
  readonly store: AccountStore;
}

export function TokenForm({ store }: Props) {
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const expires = days.trim() ? Number(days) : null;
    if (expires !== null && (!Number.isInteger(expires) || expires < 1 || expires > 3650)) {
      return setErrors({ summary: null, fields: { expiresInDays: 'A whole number of days from 1 to 3650, or empty for no expiry.' } });
    }
    setBusy(true);
    try {
      await store.createToken(name.trim(), expires);
      setName('');
      setDays('');
      setErrors(noErrors);
    } catch (e) {
      setErrors(formErrors(e, ['name', 'expiresInDays']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card account-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-token-heading" noValidate>
      <h3 id="new-token-heading">New token</h3>
      {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
      <div class="account-fields">
        <Field id="token-name" label="Name" placeholder="GitHub Actions" value={name} maxLength={80} problem={errors.fields.name} onInput={(e) => setName(e.currentTarget.value)} />
        <Field id="token-days" label="Expires after (days, optional)" type="number" min={1} max={3650} value={days} problem={errors.fields.expiresInDays} onInput={(e) => setDays(e.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={busy || !name.trim()}>{busy ? 'Creating…' : 'Create token'}</button>
    </form>
  );
}
