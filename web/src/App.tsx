import { useEffect, useState } from 'react';
import { api } from './lib/api';
import type { Agent } from './lib/types';
import { LoginPage } from './pages/LoginPage';
import { InboxPage } from './pages/InboxPage';

/** Who is logged in decides the page; the session cookie survives reloads. */
export function App() {
  const [agent, setAgent] = useState<Agent | null | undefined>(undefined);
  useEffect(() => {
    api<{ agent: Agent }>('/auth/me').then((r) => setAgent(r.agent), () => setAgent(null));
  }, []);
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
