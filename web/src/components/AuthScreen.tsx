import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api';
import { Logo, Spinner } from './ui';

type Mode = 'signin' | 'register';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function AuthScreen({
  notice,
  onSignedIn,
}: {
  notice: { text: string; tone: 'info' | 'error' } | null;
  onSignedIn: (token: string, email: string) => void;
}) {
  const [mode, setMode] = useState<Mode>('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { email: useId(), password: useId(), hint: useId() };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const addr = email.trim().toLowerCase();
    if (!EMAIL_RE.test(addr)) {
      setError('Enter a valid email address, like name@example.com.');
      return;
    }
    if (mode === 'register' && password.length < 8) {
      setError('Choose a password of at least 8 characters.');
      return;
    }
    if (!password) {
      setError('Enter your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { token } = mode === 'signin' ? await api.login(addr, password) : await api.register(addr, password);
      onSignedIn(token, addr);
    } catch (err) {
      setError(messageFor(err, mode));
      setBusy(false);
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    setError(null);
  }

  return (
    <div className="auth">
      <main className="auth-card">
        <div className="auth-brand">
          <Logo size={36} />
          <span>Analyzer</span>
        </div>
        <h1>{mode === 'signin' ? 'Welcome back' : 'Create your account'}</h1>
        <p className="auth-sub">
          {mode === 'signin'
            ? 'Sign in to ask questions about your data.'
            : 'Upload a CSV or Parquet file and ask questions in plain words.'}
        </p>

        {notice && !error && (
          <p className={`banner banner-${notice.tone}`} role="status">
            {notice.text}
          </p>
        )}

        <form onSubmit={submit} noValidate>
          <label htmlFor={ids.email}>Email</label>
          <input
            id={ids.email}
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!error && /email/i.test(error)}
          />
          <label htmlFor={ids.password}>Password</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'register' ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={mode === 'register' ? ids.hint : undefined}
            aria-invalid={!!error && /password/i.test(error)}
          />
          {mode === 'register' && (
            <p id={ids.hint} className="field-hint">
              At least 8 characters.
            </p>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy && <Spinner size={16} />}
            {mode === 'signin' ? 'Sign in' : 'Create account'}
          </button>
        </form>

        <p className="auth-switch">
          {mode === 'signin' ? (
            <>
              New to Analyzer?{' '}
              <button type="button" className="link" onClick={() => switchMode('register')}>
                Create an account
              </button>
            </>
          ) : (
            <>
              Already have an account?{' '}
              <button type="button" className="link" onClick={() => switchMode('signin')}>
                Sign in
              </button>
            </>
          )}
        </p>
      </main>
    </div>
  );
}

function messageFor(err: unknown, mode: Mode): string {
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (err.status) {
    case 401:
      return 'That email and password do not match an account.';
    case 409:
      return 'An account with this email already exists. Sign in instead.';
    case 429:
      return err.message;
    case 400:
      return err.message || (mode === 'register' ? 'Check the email and password.' : 'Check your email and password.');
    default:
      return err.message;
  }
}
