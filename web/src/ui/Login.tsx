// Signing in, registering, and the first run (the first account becomes
// the administrator).
import { useState } from 'preact/hooks';
import { ApiError } from '../api/rest';
import { login, register, settings } from '../state/app';
import { navigate, route } from '../state/route';
import { useStore } from '../state/store';
import { Field, val } from './common';

function loginError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401) return 'Wrong username, email or password.';
    if (e.status === 0) return 'The server cannot be reached. Check your connection and try again.';
    if (e.status === 429) return 'Too many attempts. Wait a moment and try again.';
    return e.message;
  }
  return String(e);
}

export function LoginView() {
  const r = useStore(route);
  const s = useStore(settings);
  const registerMode = r.name === 'register';
  const regForm = (s.Accounts_RegistrationForm as string) ?? 'Public';
  const canRegister = regForm !== 'Disabled';
  const firstRun = s.Show_Setup_Wizard === 'pending';
  const siteName = (s.Site_Name as string) || 'Liftoff';
  return (
    <main class="auth">
      <div class="auth-card">
        <div class="brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <h1>{siteName}</h1>
        </div>
        {firstRun && (
          <p class="notice" role="note">
            New server? The first account created here becomes its administrator.
          </p>
        )}
        {registerMode && canRegister ? <RegisterForm secret={regForm === 'Secret URL'} /> : <LoginForm />}
        {canRegister && (
          <p class="switch">
            {registerMode ? (
              <>
                Already have an account?{' '}
                <a href="/login" onClick={(e) => (e.preventDefault(), navigate({ name: 'login' }))}>
                  Sign in
                </a>
              </>
            ) : (
              <>
                New here?{' '}
                <a href="/register" onClick={(e) => (e.preventDefault(), navigate({ name: 'register' }))}>
                  Create an account
                </a>
              </>
            )}
          </p>
        )}
      </div>
    </main>
  );
}

function LoginForm() {
  const [user, setUser] = useState('');
  const [pw, setPw] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!user || !pw) {
      setErr('Enter your username or email and your password.');
      return;
    }
    setBusy(true);
    setErr('');
    try {
      await login(user.trim(), pw);
    } catch (e) {
      setErr(loginError(e));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Sign in" noValidate>
      <h2>Sign in</h2>
      <Field label="Username or email">
        <input name="username" autoComplete="username" value={user} onInput={(e) => setUser(val(e))} autoFocus required />
      </Field>
      <Field label="Password">
        <input name="password" type="password" autoComplete="current-password" value={pw} onInput={(e) => setPw(val(e))} required />
      </Field>
      {err && (
        <p class="error" role="alert">
          {err}
        </p>
      )}
      <button class="primary wide" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function RegisterForm({ secret }: { secret: boolean }) {
  const [f, setF] = useState({ name: '', username: '', email: '', pass: '', secretURL: '' });
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: val(e) });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErr('');
    try {
      await register({ ...f, secretURL: secret ? f.secretURL : undefined });
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create an account">
      <h2>Create an account</h2>
      <Field label="Name">
        <input name="name" autoComplete="name" value={f.name} onInput={set('name')} autoFocus />
      </Field>
      <Field label="Username">
        <input name="username" autoComplete="username" value={f.username} onInput={set('username')} required />
      </Field>
      <Field label="Email">
        <input name="email" type="email" autoComplete="email" value={f.email} onInput={set('email')} required />
      </Field>
      <Field label="Password">
        <input name="password" type="password" autoComplete="new-password" value={f.pass} onInput={set('pass')} required />
      </Field>
      {secret && (
        <Field label="Registration secret">
          <input name="secret" value={f.secretURL} onInput={set('secretURL')} required />
        </Field>
      )}
      {err && (
        <p class="error" role="alert">
          {err}
        </p>
      )}
      <button class="primary wide" type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}
