/** Sign in with a username (or email) and password; the server's refusal is shown as its sentence. */
import { useState } from 'preact/hooks';
import { Field } from '../components/field';
import { ProductIntro } from '../components/product-intro';
import { ThemeToggle } from '../components/theme-toggle';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { navigate } from '../lib/router';
import { useStores } from '../stores/context';

export function LoginPage() {
  const { session } = useStores();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await session.login(login.trim(), password);
      navigate(new URLSearchParams(location.search).get('next') ?? '/apps', { replace: true });
    } catch (error) {
      setErrors(formErrors(error, ['login', 'password']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="auth">
      <div class="auth-top"><ProductIntro /><ThemeToggle /></div>
      <h1>Sign in</h1>
      <form class="card" onSubmit={(e) => void submit(e)} noValidate>
        {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
        <Field id="login" label="Username or email" autoComplete="username" required value={login} problem={errors.fields.login} onInput={(e) => setLogin(e.currentTarget.value)} />
        <Field id="password" label="Password" type="password" autoComplete="current-password" required value={password} problem={errors.fields.password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button class="primary" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      {session.signupsAllowed.value !== false && <p>New here? <a href="/signup">Create an account</a>.</p>}
    </main>
  );
}
