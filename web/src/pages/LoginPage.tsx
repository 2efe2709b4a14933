import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api';
import { t } from '../lib/text';
import type { Agent } from '../lib/types';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (a: Agent) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Asked for once the server says the account has two-factor login on.
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // "Forgot your password?": the server answers the same for any address.
  const [notice, setNotice] = useState<string | null>(null);
  const forgot = async () => {
    setError(null);
    setNotice(null);
    if (!email) return setError(t.login.emailFirst);
    try {
      setNotice((await api<{ message: string }>('/auth/password-reset/request', { body: { email } })).message);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ agent: Agent }>('/auth/login', { body: { email, password, ...(code ? { code } : {}) } });
      onLoggedIn(r.agent);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'two_factor_required') setCode('');
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t.login.title}</h1>
        <label>
          {t.login.email}
          <input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        </label>
        <label>
          {t.login.password}
          <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {code !== null && (
          <label>
            {t.login.code}
            <input name="code" autoComplete="one-time-code" inputMode="text" value={code} onChange={(e) => setCode(e.target.value)} required autoFocus />
          </label>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        <button type="submit" disabled={busy}>
          {busy ? t.login.working : t.login.submit}
        </button>
        <button type="button" className="link" onClick={() => void forgot()}>
          {t.login.forgot}
        </button>
      </form>
    </main>
  );
}
