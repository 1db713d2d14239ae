/** Create an account, then sign in; problems appear next to their fields. Says so when sign-ups are closed. */
import { useState } from 'preact/hooks';
import { Field } from '../components/field';
import { ProductIntro } from '../components/product-intro';
import { ThemeToggle } from '../components/theme-toggle';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { navigate } from '../lib/router';
import { useStores } from '../stores/context';

export function SignupPage() {
  const { session } = useStores();
  const [values, setValues] = useState({ username: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const set = (key: keyof typeof values) => (e: { currentTarget: HTMLInputElement }) => setValues({ ...values, [key]: e.currentTarget.value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await session.signup(values.username.trim(), values.email.trim(), values.password);
      navigate('/apps/new', { replace: true });
    } catch (error) {
      setErrors(formErrors(error, ['username', 'email', 'password']));
    } finally {
      setBusy(false);
    }
  };
  if (session.signupsAllowed.value === false) {
    return (
      <main id="main" class="auth">
        <h1>Create an account</h1>
        <div class="alert info" role="status">Sign-ups are closed on this platform. Ask an administrator for an account.</div>
        <p><a href="/login">Sign in</a> if you already have one.</p>
      </main>
    );
  }
  return (
    <main id="main" class="auth">
      <div class="auth-top"><ProductIntro /><ThemeToggle /></div>
      <h1>Create an account</h1>
      <form class="card" onSubmit={(e) => void submit(e)} noValidate>
        {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
        <Field id="username" label="Username" autoComplete="username" hint="3–32 letters, digits, dots, dashes or underscores." required value={values.username} problem={errors.fields.username} onInput={set('username')} />
        <Field id="email" label="Email" type="email" autoComplete="email" required value={values.email} problem={errors.fields.email} onInput={set('email')} />
        <Field id="password" label="Password" type="password" autoComplete="new-password" hint="At least 8 characters." required value={values.password} problem={errors.fields.password} onInput={set('password')} />
        <button class="primary" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>Already have an account? <a href="/login">Sign in</a>.</p>
    </main>
  );
}
