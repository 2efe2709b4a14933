import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { api } from '../lib/api';
import { connectRealtime, newerFor, type Realtime } from '../lib/realtime';
import { t } from '../lib/text';
import { ContactsPage } from './ContactsPage';
import { can, type Agent, type Conversation, type ConversationEvent, type MessageEvent } from '../lib/types';
import { ConversationList } from '../components/ConversationList';
import { ConversationView } from '../components/ConversationView';
import { ReportsPage } from './ReportsPage';
import { SettingsPage } from './SettingsPage';
import { AccountPage } from './AccountPage';
import { IncidentsPage } from './IncidentsPage';
import { KnowledgePage } from './KnowledgePage';
import { CommunityPage } from './CommunityPage';
import { BulkIncidentLink } from '../components/BulkIncidentLink';
import { BulkActions } from '../components/BulkActions';
import { rememberReads } from '../lib/unread';
import { COMPLAINT_CLASSES } from '../../../src/sentiment/taxonomy';

export type View = 'all' | 'mine' | 'unassigned' | 'teams' | 'mentions';

const VIEW_QUERY: Record<View, Record<string, string>> = {
  all: {},
  mine: { assigneeId: 'me' },
  unassigned: { assigneeId: 'none' },
  teams: { teamId: 'mine' },
  mentions: { type: 'mention' },
};

export interface Filters {
  status: string;
  inboxId: string;
  complaintCategory: string;
  sentiment: string;
  label: string;
  /** A contact attribute, key:value (e.g. plan:enterprise). */
  attribute: string;
  q: string;
}

interface ListPage {
  data: Conversation[];
  /** The agent's own read marks for these rows. */
  reads?: Record<string, string>;
  nextCursor: string | null;
  total?: number;
  totalCapped?: boolean;
}

const MIN_SEARCH = 3;

const NO_FILTERS: Filters = { status: 'open', inboxId: '', complaintCategory: '', sentiment: '', label: '', attribute: '', q: '' };

/** Highest priority first, then longest waiting: the same order as the API's sort=priority. */
export function byPriority(a: Conversation, b: Conversation): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const wa = a.waitingSince ? Date.parse(a.waitingSince) : Infinity;
  const wb = b.waitingSince ? Date.parse(b.waitingSince) : Infinity;
  if (wa !== wb) return wa - wb;
  return Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt);
}

/** Whether a changed conversation belongs in the list shown (search and contact attributes are left to the server). */
function belongs(c: Conversation, view: View, f: Filters, me: Agent): boolean {
  if (f.status !== 'all' && c.status !== f.status) return false;
  if (f.inboxId && c.inbox.id !== f.inboxId) return false;
  if (f.complaintCategory && c.complaintCategory !== f.complaintCategory) return false;
  if (f.sentiment && c.sentiment?.label !== f.sentiment) return false;
  if (f.label && !c.labels.some((l) => l.name === f.label.toLowerCase())) return false;
  if (view === 'mine') return c.assignee?.id === me.id;
  if (view === 'unassigned') return !c.assignee;
  if (view === 'mentions') return c.type === 'mention';
  return true;
}

const PAGES = ['inbox', 'community', 'incidents', 'contacts', 'knowledge', 'reports', 'settings', 'account'] as const;
type Page = (typeof PAGES)[number];
const pageFromHash = (): Page => PAGES.find((p) => p !== 'inbox' && (location.hash === `#${p}` || location.hash.startsWith(`#${p}/`))) ?? 'inbox';

export function InboxPage({ agent, onLogout }: { agent: Agent; onLogout: () => void }) {
  const [page, setPage] = useState<Page>(pageFromHash);
  const [view, setView] = useState<View>('all');
  // Conversations ticked in the list for a bulk action (linking them to an incident).
  const [checked, setChecked] = useState<Set<string>>(() => new Set());
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [inboxes, setInboxes] = useState<Array<{ id: string; name: string }>>([]);
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [realtime, setRealtime] = useState<Realtime | null>(null);
  const socket: Socket | null = realtime?.socket ?? null;
  const [notices, setNotices] = useState<Array<{ key: string; conversationId: string; text: string }>>([]);
  const state = useRef({ view, filters });
  state.current = { view, filters };
  const searchRef = useRef<HTMLInputElement>(null);

  // The list's first page, then more by cursor on request; the server counts up to 1,000.
  const [paging, setPaging] = useState<{ total: number | null; capped: boolean; next: string | null }>({ total: null, capped: false, next: null });
  const query = (v: View, f: Filters) => {
    const params = new URLSearchParams({ sort: 'priority', limit: '100', ...VIEW_QUERY[v] });
    // The server searches from three characters (its trigram indexes need them).
    for (const [k, value] of Object.entries(f)) {
      // A search or an attribute half typed is not asked yet.
      if (!value || (k === 'q' && value.trim().length < MIN_SEARCH) || (k === 'attribute' && !/^[a-z][a-z0-9_]*:.+/.test(value))) continue;
      params.set(k, value);
    }
    return params;
  };
  const load = useCallback(async () => {
    const { view: v, filters: f } = state.current;
    const r = await api<ListPage>(`/conversations?${query(v, f)}`);
    if (state.current.view !== v || state.current.filters !== f) return;
    rememberReads(r.reads);
    setConversations(r.data);
    setPaging({ total: r.total ?? null, capped: r.totalCapped ?? false, next: r.nextCursor });
  }, []);
  const loadMore = useCallback(async () => {
    const { view: v, filters: f } = state.current;
    if (!paging.next) return;
    const params = query(v, f);
    params.set('cursor', paging.next);
    const r = await api<ListPage>(`/conversations?${params}`);
    if (state.current.view !== v || state.current.filters !== f) return;
    rememberReads(r.reads);
    setConversations((list) => [...list, ...r.data.filter((c) => !list.some((x) => x.id === c.id))]);
    setPaging((p) => ({ ...p, next: r.nextCursor }));
  }, [paging.next]);

  useEffect(() => {
    // Typing a search waits for a pause before asking the server.
    const timer = setTimeout(() => void load(), filters.q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [view, filters, load]);

  useEffect(() => {
    api<{ data: Array<{ id: string; name: string }> }>('/inboxes').then((r) => setInboxes(r.data), () => {});
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const rt = connectRealtime();
    const s = rt.socket;
    setRealtime(rt);
    // The newest event applied per conversation: a replayed older one must not undo it.
    const applied = new Map<string, string>();
    const onChange = (e: Pick<ConversationEvent, 'conversation'> & { eventId?: string }) => {
      if (!newerFor(applied, e.conversation.id, e.eventId)) return;
      const { view: v, filters: f } = state.current;
      if (f.q) return void load();
      setConversations((list) => {
        const rest = list.filter((c) => c.id !== e.conversation.id);
        return belongs(e.conversation, v, f, agent) ? [...rest, e.conversation].sort(byPriority) : rest;
      });
    };
    s.on('connect', () => {
      setLive(true);
      // Nothing to replay from (no event seen yet): read the list again instead.
      if (!rt.lastEventId()) void load();
    });
    // The server replayed what we missed while away; when it could not (too long away, a lost log), read everything again.
    s.on('replay', (r: { room?: string; complete: boolean }) => {
      if (!r.room && !r.complete) void load();
    });
    s.on('disconnect', () => setLive(false));
    // Routing's alerts and @mentions, newest first, a few at a time.
    const notice = (text: string, conversationId: string) => setNotices((n) => [{ key: `${Date.now()}-${Math.random()}`, conversationId, text }, ...n].slice(0, 5));
    s.on('notification', (e: { conversationId: string; text: string }) => notice(e.text, e.conversationId));
    s.on('agent.mentioned', (e: { conversationId: string; text: string; from: string }) => notice(`${t.nav.mentioned(e.from)}: ${e.text}`, e.conversationId));
    s.on('conversation.created', onChange);
    s.on('conversation.updated', onChange);
    // Moved out of what this agent's role sees (another team, another assignee): off the list.
    s.on('conversation.hidden', (e: { conversationId: string; eventId?: string }) => {
      if (!newerFor(applied, e.conversationId, e.eventId)) return;
      setConversations((list) => list.filter((c) => c.id !== e.conversationId));
    });
    // A new message carries its conversation (last message, waiting time, priority) instead of a conversation.updated.
    s.on('message.created', (e: MessageEvent & { eventId?: string }) => e.conversation && onChange({ conversation: e.conversation, eventId: e.eventId }));
    return () => {
      s.disconnect();
    };
  }, [agent, load]);

  const current = useMemo(() => conversations.find((c) => c.id === selected) ?? null, [conversations, selected]);

  // Keyboard shortcuts for the common path; never while typing in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.metaKey || e.ctrlKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const at = conversations.findIndex((c) => c.id === selected);
      if (e.key === 'j' || e.key === 'k') {
        const next = conversations[Math.max(0, Math.min(conversations.length - 1, at + (e.key === 'j' ? 1 : -1)))];
        if (next) setSelected(next.id);
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'r' && selected) {
        e.preventDefault();
        document.getElementById('composer-text')?.focus();
      } else if (e.key === 'a' && selected) {
        void api(`/conversations/${selected}/assign`, { body: { assigneeId: 'me' } });
      } else if (e.key === 'e' && selected) {
        void api(`/conversations/${selected}/status`, { body: { status: 'resolved' } });
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [conversations, selected]);

  const setFilter = (k: keyof Filters, v: string) => setFilters((f) => ({ ...f, [k]: v }));

  return (
    <div className="app">
      <header className="topbar">
        <strong>{t.appName}</strong>
        <nav aria-label={t.landmarks.pages} className="views">
          {PAGES.filter((p) => (p === 'reports' ? can(agent, 'reports.view') : p === 'settings' ? can(agent, 'settings.manage') : true)).map((p) => (
            <a key={p} className="button" aria-current={page === p ? 'page' : undefined} href={p === 'inbox' ? '#' : `#${p}`}>
              {t.pages[p]}
            </a>
          ))}
        </nav>
        {page === 'inbox' && (
          <nav aria-label={t.landmarks.views} className="views">
            {(Object.keys(VIEW_QUERY) as View[]).map((v) => (
              <button key={v} aria-pressed={view === v} onClick={() => setView(v)}>
                {t.views[v]}
              </button>
            ))}
          </nav>
        )}
        <span className={live ? 'status live' : 'status'} role="status">
          {live ? t.nav.live : t.nav.offline}
        </span>
        <span className="me">{agent.name}</span>
        <button onClick={onLogout}>{t.nav.logout}</button>
      </header>
      {notices.length > 0 && (
        <ul className="notifications" aria-label={t.nav.notifications} aria-live="polite">
          {notices.map((n) => (
            <li key={n.key}>
              <button
                className="link"
                onClick={() => {
                  location.hash = '';
                  setSelected(n.conversationId);
                }}
              >
                {n.text}
              </button>{' '}
              <button aria-label={t.nav.dismiss} onClick={() => setNotices((all) => all.filter((x) => x.key !== n.key))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {page === 'community' ? (
        <CommunityPage me={agent} socket={socket} onOpenConversation={(id) => { location.hash = ''; setSelected(id); }} />
      ) : page === 'incidents' ? (
        <IncidentsPage me={agent} onOpenConversation={(id) => { location.hash = ''; setSelected(id); }} />
      ) : page === 'contacts' ? (
        <ContactsPage me={agent} />
      ) : page === 'knowledge' ? (
        <KnowledgePage me={agent} />
      ) : page === 'reports' ? (
        <ReportsPage />
      ) : page === 'settings' ? (
        <SettingsPage />
      ) : page === 'account' ? (
        <AccountPage />
      ) : (
        <>
          <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <label>
              <span className="sr-only">{t.filters.search}</span>
              <input ref={searchRef} type="search" placeholder={t.filters.searchPlaceholder} value={filters.q} onChange={(e) => setFilter('q', e.target.value)} />
            </label>
            <label>
              {t.filters.status}
              <select value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
                {['open', 'pending', 'snoozed', 'resolved', 'all'].map((s) => (
                  <option key={s} value={s}>
                    {t.filters.statuses[s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.filters.inbox}
              <select value={filters.inboxId} onChange={(e) => setFilter('inboxId', e.target.value)}>
                <option value="">{t.filters.any}</option>
                {inboxes.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.filters.complaint}
              <select value={filters.complaintCategory} onChange={(e) => setFilter('complaintCategory', e.target.value)}>
                <option value="">{t.filters.any}</option>
                {COMPLAINT_CLASSES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.filters.sentiment}
              <select value={filters.sentiment} onChange={(e) => setFilter('sentiment', e.target.value)}>
                <option value="">{t.filters.any}</option>
                {['negative', 'neutral', 'positive'].map((s) => (
                  <option key={s} value={s}>
                    {t.sentiment[s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.filters.label}
              <input value={filters.label} onChange={(e) => setFilter('label', e.target.value)} size={10} />
            </label>
            <label>
              {t.filters.attribute}
              <input value={filters.attribute} onChange={(e) => setFilter('attribute', e.target.value)} size={14} placeholder="plan:enterprise" pattern="[a-z][a-z0-9_]*:.+" />
            </label>
            {can(agent, 'conversations.export') && (
              <a className="button" href={`/api/v1/conversations/export.csv?${(() => { const p = query(view, filters); p.delete('limit'); return p; })()}`} download>
                {t.filters.export}
              </a>
            )}
          </form>
          {checked.size > 0 && <BulkActions ids={[...checked]} onDone={() => setChecked(new Set())} />}
          {checked.size > 0 && <BulkIncidentLink ids={[...checked]} onDone={() => setChecked(new Set())} />}
          <div className={selected ? 'panes has-selection' : 'panes'}>
            <ConversationList
              conversations={conversations}
              selected={selected}
              onSelect={setSelected}
              count={paging.total === null ? null : t.list.count(paging.total, paging.capped)}
              hint={filters.q && filters.q.trim().length < MIN_SEARCH ? t.list.searchHint : null}
              onMore={paging.next ? () => void loadMore() : null}
              checked={can(agent, 'incidents.manage') ? checked : undefined}
              onCheck={(id, on) => setChecked((all) => { const next = new Set(all); if (on) next.add(id); else next.delete(id); return next; })}
            />
            {selected && socket ? (
              <ConversationView key={selected} conversationId={selected} summary={current} me={agent} socket={socket} lastEventId={realtime!.lastEventId} onBack={() => setSelected(null)} />
            ) : (
              <main className="empty">{t.conversation.choose}</main>
            )}
          </div>
        </>
      )}
    </div>
  );
}
