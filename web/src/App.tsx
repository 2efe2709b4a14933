import { useEffect, useState } from 'react';
import { api } from './lib/api';
import type { Agent } from './lib/types';
import { LoginPage } from './pages/LoginPage';
import { InboxPage } from './pages/InboxPage';
import { LinkPage } from './pages/LinkPage';

/** Who is logged in decides the page; the session cookie survives reloads. */
export function App() {
  const [agent, setAgent] = useState<Agent | null | undefined>(undefined);
  const link = location.pathname === '/invite' ? 'invite' : location.pathname === '/reset' ? 'reset' : null;
  useEffect(() => {
    if (link) return;
    api<{ agent: Agent }>('/auth/me').then((r) => setAgent(r.agent), () => setAgent(null));
  }, [link]);
  if (link) return <LinkPage kind={link} />;
  if (agent === undefined) return <div className="splash" aria-busy="true" />;
  if (!agent) return <LoginPage onLoggedIn={setAgent} />;
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
