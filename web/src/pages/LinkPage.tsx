// The pages an emailed or handed-over link opens: /invite#<token> (choose a password and join)
// and /reset#<token> (choose a new password). The token stays in the fragment: never sent in
// a URL to the server or in a Referer.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

export function LinkPage({ kind }: { kind: 'invite' | 'reset' }) {
  const token = location.hash.slice(1);
  const [invitation, setInvitation] = useState<{ email: string; name: string; role: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (kind === 'invite') api<{ email: string; name: string; role: string }>(`/auth/invitation?token=${encodeURIComponent(token)}`).then(setInvitation, (e: Error) => setError(e.message));
  }, [kind, token]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    api(kind === 'invite' ? '/auth/invitation' : '/auth/password-reset', { body: { token, password } }).then(() => setDone(true), (err: Error) => setError(err.message));
  };
  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="link-title">
        <h1 id="link-title">{t.account.setPassword}</h1>
        {invitation && <p>{t.account.invitedAs(invitation.name, invitation.email, invitation.role)}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {done ? (
          <p role="status">
            {t.account.passwordSet} <a href="/">{t.account.toLogin}</a>
          </p>
        ) : (
          <>
            <label>
              {t.account.newPassword}
              <input type="password" name="password" autoComplete="new-password" minLength={10} required autoFocus />
            </label>
            <button type="submit">{t.account.setPassword}</button>
          </>
        )}
      </form>
    </main>
  );
}
