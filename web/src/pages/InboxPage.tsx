import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { api } from '../lib/api';
import { connectRealtime } from '../lib/realtime';
import { t } from '../lib/text';
import type { Agent, Conversation, ConversationEvent } from '../lib/types';
import { ConversationList } from '../components/ConversationList';
import { ConversationView } from '../components/ConversationView';

export type View = 'all' | 'mine' | 'unassigned';

const QUERY: Record<View, string> = { all: '', mine: '&assigneeId=me', unassigned: '&assigneeId=none' };

/** Highest priority first, then longest waiting: the same order as the API's sort=priority. */
export function byPriority(a: Conversation, b: Conversation): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const wa = a.waitingSince ? Date.parse(a.waitingSince) : Infinity;
  const wb = b.waitingSince ? Date.parse(b.waitingSince) : Infinity;
  if (wa !== wb) return wa - wb;
  return Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt);
}

function belongs(c: Conversation, view: View, me: Agent): boolean {
  if (c.status !== 'open') return false;
  if (view === 'mine') return c.assignee?.id === me.id;
  if (view === 'unassigned') return !c.assignee;
  return true;
}

export function InboxPage({ agent, onLogout }: { agent: Agent; onLogout: () => void }) {
  const [view, setView] = useState<View>('all');
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [socket, setSocket] = useState<Socket | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  const load = useCallback(async (v: View) => {
    const r = await api<{ data: Conversation[] }>(`/conversations?sort=priority&limit=100${QUERY[v]}`);
    if (viewRef.current === v) setConversations(r.data);
  }, []);

  useEffect(() => {
    void load(view);
  }, [view, load]);

  useEffect(() => {
    const s = connectRealtime();
    setSocket(s);
    const onChange = (e: ConversationEvent) => {
      setConversations((list) => {
        const rest = list.filter((c) => c.id !== e.conversation.id);
        return belongs(e.conversation, viewRef.current, agent) ? [...rest, e.conversation].sort(byPriority) : rest;
      });
    };
    s.on('connect', () => {
      setLive(true);
      // Catch up on whatever changed while we were disconnected.
      void load(viewRef.current);
    });
    s.on('disconnect', () => setLive(false));
    s.on('conversation.created', onChange);
    s.on('conversation.updated', onChange);
    return () => {
      s.disconnect();
    };
  }, [agent, load]);

  const current = useMemo(() => conversations.find((c) => c.id === selected) ?? null, [conversations, selected]);

  return (
    <div className="app">
      <header className="topbar">
        <strong>{t.appName}</strong>
        <nav aria-label="Views" className="views">
          {(Object.keys(QUERY) as View[]).map((v) => (
            <button key={v} aria-pressed={view === v} onClick={() => setView(v)}>
              {t.views[v]}
            </button>
          ))}
        </nav>
        <span className={live ? 'status live' : 'status'} role="status">
          {live ? t.nav.live : t.nav.offline}
        </span>
        <span className="me">{agent.name}</span>
        <button onClick={onLogout}>{t.nav.logout}</button>
      </header>
      <div className="panes">
        <ConversationList conversations={conversations} selected={selected} onSelect={setSelected} />
        {selected && socket ? (
          <ConversationView key={selected} conversationId={selected} summary={current} me={agent} socket={socket} />
        ) : (
          <main className="empty">{t.conversation.choose}</main>
        )}
      </div>
    </div>
  );
}
