// Your own account: change the password, turn two-factor login on or off, see your sessions
// and end one. Every step shows the server's reason when it refuses.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { formatDateTime } from '../lib/format';
import { PreferencesForm } from '../components/PreferencesForm';

interface SessionRow { id: string; createdAt: string; userAgent: string | null; ip: string | null; current: boolean }

const field = (e: FormEvent<HTMLFormElement>, name: string) => String(new FormData(e.currentTarget).get(name) ?? '');

export function AccountPage() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [on, setOn] = useState(false);
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [sessions, setSessions] = useState<SessionRow[]>([]);
  const fail = (e: Error) => setError(e.message);
  const loadSessions = useCallback(() => void api<{ data: SessionRow[] }>('/auth/sessions').then((r) => setSessions(r.data), fail), []);
  useEffect(loadSessions, [loadSessions]);
  useEffect(() => void api<{ twoFactorEnabled: boolean }>('/auth/me').then((r) => setOn(r.twoFactorEnabled), fail), []);
  const run = (e: FormEvent<HTMLFormElement>, go: (form: HTMLFormElement) => Promise<unknown>) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const form = e.currentTarget;
    go(form).then(() => form.reset(), fail);
  };
  return (
    <main className="settings reports" aria-label={t.account.title}>
      <h2>{t.account.title}</h2>
      <PreferencesForm />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <div className="report-grid">
        <section aria-label={t.account.password}>
          <h3>{t.account.password}</h3>
          <form onSubmit={(e) => run(e, () => api('/auth/password', { body: { currentPassword: field(e, 'current'), newPassword: field(e, 'next') } }).then(() => (setNotice(t.account.changed), loadSessions())))}>
            <label>
              {t.account.currentPassword} <input name="current" type="password" autoComplete="current-password" required />
            </label>
            <label>
              {t.account.newPassword} <input name="next" type="password" autoComplete="new-password" minLength={10} required />
            </label>
            <button type="submit">{t.account.change}</button>
          </form>
        </section>
        <section aria-label={t.account.twoFactor}>
          <h3>{t.account.twoFactor}</h3>
          <p>{on ? t.account.twoFactorOn : t.account.twoFactorOff}</p>
          {codes && (
            <div role="status">
              <p>{t.account.recoveryCodes}</p>
              <pre>{codes.join('\n')}</pre>
            </div>
          )}
          {!on && !setup && (
            <button type="button" onClick={() => api<{ secret: string; uri: string }>('/auth/2fa/setup', { body: {} }).then(setSetup, fail)}>
              {t.account.setUp}
            </button>
          )}
          {!on && setup && (
            <form onSubmit={(e) => run(e, () => api<{ recoveryCodes: string[] }>('/auth/2fa/enable', { body: { code: field(e, 'code') } }).then((r) => (setCodes(r.recoveryCodes), setOn(true), setSetup(null))))}>
              <p>{t.account.scan}</p>
              <p>
                <code>{setup.secret}</code>
              </p>
              <p>
                <a href={setup.uri}>{setup.uri}</a>
              </p>
              <label>
                {t.login.code} <input name="code" autoComplete="one-time-code" inputMode="numeric" required />
              </label>
              <button type="submit">{t.account.turnOn}</button>
            </form>
          )}
          {on && (
            <form onSubmit={(e) => run(e, () => api('/auth/2fa/disable', { body: { password: field(e, 'password') } }).then(() => (setOn(false), setCodes(null))))}>
              <label>
                {t.account.currentPassword} <input name="password" type="password" autoComplete="current-password" required />
              </label>
              <button type="submit">{t.account.turnOff}</button>
            </form>
          )}
        </section>
        <section aria-label={t.account.sessions}>
          <h3>{t.account.sessions}</h3>
          <ul>
            {sessions.map((x) => (
              <li key={x.id}>
                {formatDateTime(x.createdAt)} · {x.userAgent ?? '?'} · {x.ip ?? '?'}{' '}
                {x.current ? (
                  <em>{t.account.thisSession}</em>
                ) : (
                  <button type="button" onClick={() => api(`/auth/sessions/${x.id}`, { method: 'DELETE' }).then(loadSessions, fail)}>
                    {t.account.end}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}
