import { useEffect, useState } from 'react';
import { api } from './lib/api';
import type { Agent } from './lib/types';
import { applyPreferences } from './lib/preferences';
import { LoginPage } from './pages/LoginPage';
import { InboxPage } from './pages/InboxPage';
import { LinkPage } from './pages/LinkPage';

/** Who is logged in decides the page; the session cookie survives reloads. */
export function App() {
  const [agent, setAgent] = useState<Agent | null | undefined>(undefined);
  const link = location.pathname === '/invite' ? 'invite' : location.pathname === '/reset' ? 'reset' : null;
  // Who they are and what their role allows (the pages and actions shown follow it).
  const loadMe = () =>
    api<{ agent: Agent; role: { name: string }; permissions: string[]; preferences: { locale: string | null; timeZone: string | null } }>('/auth/me').then(
      (r) => {
        applyPreferences(r.preferences);
        setAgent({ ...r.agent, roleName: r.role.name, permissions: r.permissions });
      },
      () => setAgent(null),
    );
  useEffect(() => {
    if (!link) void loadMe();
  }, [link]);
  if (link) return <LinkPage kind={link} />;
  if (agent === undefined) return <div className="splash" aria-busy="true" />;
  if (!agent) return <LoginPage onLoggedIn={() => void loadMe()} />;
  return (
    <InboxPage
      agent={agent}
      onLogout={async () => {
        await api('/auth/logout', { method: 'POST' }).catch(() => {});
        setAgent(null);
      }}
    />
  );
}
