/** Creates an account (even with sign-ups closed), optionally an admin; problems appear next to their fields. */
import { useState } from 'preact/hooks';
import { Field } from '../components/field';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import type { UsersStore } from '../stores/admin';

export interface Props {
  readonly store: UsersStore;
}

const empty = { username: '', email: '', password: '', isAdmin: false };

export function CreateUserForm({ store }: Props) {
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (key: 'username' | 'email' | 'password') => (e: { currentTarget: HTMLInputElement }) => setValues({ ...values, [key]: e.currentTarget.value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setStatus('');
    try {
      const user = await store.create({ username: values.username.trim(), email: values.email.trim(), password: values.password }, values.isAdmin);
      setValues(empty);
      setErrors(noErrors);
      setStatus(`Created ${user.username}${user.isAdmin ? ', an admin' : ''}. They can sign in now.`);
    } catch (error) {
      setErrors(formErrors(error, ['username', 'email', 'password']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card admin-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-user-heading">
      <h3 id="create-user-heading">Create a user</h3>
      {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
      <div class="create-user-fields">
        <Field id="new-username" label="Username" autoComplete="off" hint="3–32 letters, digits, dots, dashes or underscores." required value={values.username}
          problem={errors.fields.username} onInput={set('username')} />
        <Field id="new-email" label="Email" type="email" autoComplete="off" required value={values.email} problem={errors.fields.email} onInput={set('email')} />
        <Field id="new-password" label="Password" type="password" autoComplete="new-password" hint="At least 8 characters; tell them to keep it safe." required
          value={values.password} problem={errors.fields.password} onInput={set('password')} />
      </div>
      <label class="check">
        <input type="checkbox" checked={values.isAdmin} onChange={(e) => setValues({ ...values, isAdmin: e.currentTarget.checked })} />
        Make them an administrator
      </label>
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create user'}</button>
        <p class="status" role="status">{status}</p>
      </div>
    </form>
  );
}
