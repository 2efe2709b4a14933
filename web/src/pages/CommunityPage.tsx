// The community manager's desk: one live stream of public mentions and of what the listening
// topics find, newest first, with author, followers, reach, sentiment, complaint type, risk and
// the post's link; filters by topic, sentiment and reach; actions — reply publicly or take it
// private (the post becomes a conversation, opened with its public-to-private bridge), dismiss
// one or a selection. Spike alerts above it, each able to open an incident.
import { useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { can, type Agent } from '../lib/types';
import { SentimentBadge } from '../components/SentimentBadge';
import { ListeningTopics } from '../components/ListeningTopics';

interface StreamItem {
  kind: 'post' | 'mention';
  /** The network: twitter, instagram, messenger (a Facebook page's comments). */
  channel: string;
  id: string;
  topic: { id: string; name: string } | null;
  author: { username: string | null; name: string | null; followers: number };
  text: string;
  url: string | null;
  receivedAt: string;
  sentiment: string | null;
  sentimentScore: number | null;
  complaintCategory: string | null;
  escalationRisk: number | null;
  reach: { followers: number; retweets: number; likes: number; replies?: number };
  status: string;
  conversationId: string | null;
}
interface Topic { id: string; name: string; kind: string; query: string; postsLastDay: number }
interface Alert { id: string; text: string; phrases: string[]; incidentId: string | null; createdAt: string; topic: { name: string }; samplePosts: Array<{ id: string; username: string; followers: number; text: string; url: string }> }

const keyOf = (i: StreamItem) => `${i.kind}:${i.id}`;

export function CommunityPage({ me, socket, onOpenConversation }: { me: Agent; socket: Socket | null; onOpenConversation: (id: string) => void }) {
  const [items, setItems] = useState<StreamItem[]>([]);
  const [topics, setTopics] = useState<Topic[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [filters, setFilters] = useState({ topicId: '', sentiment: '', minFollowers: '', status: 'new' });
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const current = useRef(filters);
  current.current = filters;

  const query = () => {
    const p = new URLSearchParams({ status: filters.status, limit: '100' });
    if (filters.topicId) p.set('topicId', filters.topicId);
    if (filters.sentiment) p.set('sentiment', filters.sentiment);
    if (filters.minFollowers) p.set('minFollowers', filters.minFollowers);
    return p;
  };
  const load = () => void api<{ data: StreamItem[] }>(`/community/stream?${query()}`).then((r) => setItems(r.data), (e: Error) => setNotice({ text: e.message, error: true }));
  useEffect(load, [filters]);
  useEffect(() => {
    void api<{ data: Topic[] }>('/community/topics').then((r) => setTopics(r.data), () => {});
    void api<{ data: Alert[] }>('/community/alerts?limit=5').then((r) => setAlerts(r.data), () => {});
  }, []);

  // Live: a new post joins the top when it passes the filters; an alert joins the strip.
  useEffect(() => {
    if (!socket) return;
    const onPost = (e: { post: StreamItem }) => {
      const f = current.current;
      const p = e.post;
      if ((f.topicId && p.topic?.id !== f.topicId) || (f.sentiment && p.sentiment !== f.sentiment) || (f.minFollowers && p.author.followers < Number(f.minFollowers))) return;
      if (f.status === 'new' && p.status !== 'new') return;
      setItems((all) => (all.some((x) => keyOf(x) === keyOf(p)) ? all : [p, ...all]));
    };
    const onAlert = (e: { alert: Alert }) => setAlerts((all) => [e.alert, ...all].slice(0, 5));
    socket.on('community.post', onPost);
    socket.on('community.alert', onAlert);
    return () => {
      socket.off('community.post', onPost);
      socket.off('community.alert', onAlert);
    };
  }, [socket]);

  const fail = (e: Error) => setNotice({ text: e.message, error: true });
  /** A post becomes a conversation (once); a mention is one already. */
  const conversationOf = async (i: StreamItem): Promise<string | null> =>
    i.kind === 'mention' ? i.id : (i.conversationId ?? (await api<{ conversationId: string | null }>(`/community/posts/${i.id}/promote`, { method: 'POST' })).conversationId);
  const open = (i: StreamItem) => void conversationOf(i).then((id) => id && onOpenConversation(id), fail);
  const assignToMe = (i: StreamItem) =>
    void conversationOf(i)
      .then((id) => id && api(`/conversations/${id}/assign`, { body: { assigneeId: 'me' } }))
      .then(() => setNotice({ text: t.community.assigned, error: false }), fail);
  const dismiss = (chosen: StreamItem[]) => {
    const body = { postIds: chosen.filter((i) => i.kind === 'post').map((i) => i.id), mentionIds: chosen.filter((i) => i.kind === 'mention').map((i) => i.id) };
    api<{ dismissed: number; resolved: number }>('/community/posts/dismiss', { body }).then((r) => {
      const gone = new Set(chosen.map(keyOf));
      setItems((all) => all.filter((x) => !gone.has(keyOf(x))));
      setPicked(new Set());
      setNotice({ text: t.community.dismissed(r.dismissed + r.resolved), error: false });
    }, fail);
  };
  const openIncident = (a: Alert) =>
    api(`/community/alerts/${a.id}/incident`, { method: 'POST', body: {} }).then(() => {
      setAlerts((all) => all.map((x) => (x.id === a.id ? { ...x, incidentId: 'opened' } : x)));
      setNotice({ text: t.community.incidentOpened, error: false });
    }, fail);
  const set = (k: keyof typeof filters, v: string) => setFilters((f) => ({ ...f, [k]: v }));
  const chosen = items.filter((i) => picked.has(keyOf(i)));

  return (
    <main className="page community-page" aria-label={t.community.title}>
      {alerts.length > 0 && (
        <section className="spike-alerts" aria-label={t.community.alerts}>
          {alerts.map((a) => (
            <div key={a.id} className="spike-alert" role="status">
              <strong>{a.text}</strong>
              {a.incidentId ? <span className="tag">{t.community.incidentOpened}</span> : can(me, 'incidents.manage') && <button type="button" onClick={() => void openIncident(a)}>{t.community.openIncident}</button>}
              {a.samplePosts.length > 0 && (
                <ul className="spike-samples">
                  {a.samplePosts.map((p) => <li key={p.id}><a href={p.url} target="_blank" rel="noreferrer noopener">@{p.username}</a> ({t.community.followers(p.followers)}): {p.text}</li>)}
                </ul>
              )}
            </div>
          ))}
        </section>
      )}
      {can(me, 'community.manage') && <ListeningTopics onChange={load} />}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t.community.topic}
          <select value={filters.topicId} onChange={(e) => set('topicId', e.target.value)}>
            <option value="">{t.community.allTopics}</option>
            {topics.map((x) => <option key={x.id} value={x.id}>{x.name}{x.kind === 'competitor' ? ' (competitor)' : ''}</option>)}
          </select>
        </label>
        <label>
          {t.community.sentiment}
          <select value={filters.sentiment} onChange={(e) => set('sentiment', e.target.value)}>
            <option value="">{t.filters.any}</option>
            {['negative', 'neutral', 'positive'].map((x) => <option key={x} value={x}>{t.sentiment[x]}</option>)}
          </select>
        </label>
        <label>
          {t.community.minFollowers}
          <input type="number" min={0} step={100} size={8} value={filters.minFollowers} onChange={(e) => set('minFollowers', e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={filters.status === 'new'} onChange={(e) => set('status', e.target.checked ? 'new' : 'all')} /> {t.community.newOnly}
        </label>
        {chosen.length > 0 && <button type="button" onClick={() => dismiss(chosen)}>{t.community.dismissSelected(chosen.length)}</button>}
      </form>
      {notice && <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'error' : 'notice'}>{notice.text}</p>}
      {items.length === 0 ? <p className="empty">{t.community.empty}</p> : (
        <ol className="stream" aria-label={t.community.stream}>
          {items.map((i) => (
            <li key={keyOf(i)} className={`stream-item ${i.sentiment ?? ''}`} data-post-id={i.id}>
              <input type="checkbox" className="pick" aria-label={t.community.select(i.author.username ?? '?')} checked={picked.has(keyOf(i))} onChange={(e) => setPicked((all) => { const next = new Set(all); if (e.target.checked) next.add(keyOf(i)); else next.delete(keyOf(i)); return next; })} />
              <div className="stream-body">
                <p className="stream-head">
                  <span className={`tag channel channel-${i.channel}`}>{t.community.channel(i.channel)}</span>{' '}
                  <strong>@{i.author.username}</strong> {i.author.name && i.author.name !== i.author.username && <span className="muted">{i.author.name}</span>}
                  {i.channel === 'twitter' && <> · <span>{t.community.followers(i.author.followers)}</span></>}{' '}
                  <span className="tag">{i.kind === 'mention' ? (i.channel === 'twitter' ? t.community.mention : t.community.comment) : i.topic?.name}</span>{' '}
                  {i.sentiment && <SentimentBadge sentiment={{ label: i.sentiment, score: i.sentimentScore ?? 0 }} />}{' '}
                  {i.complaintCategory && <span className="tag">{i.complaintCategory}</span>}{' '}
                  {i.escalationRisk != null && <span className="muted">{t.community.risk(i.escalationRisk)}</span>}{' '}
                  {i.status === 'promoted' && <span className="tag">{t.community.promoted}</span>}
                </p>
                <p className="stream-text">{i.text}</p>
                <p className="stream-actions">
                  <span className="muted">{t.community.reach(i.reach, i.channel)}</span>{' '}
                  {i.url && <a href={i.url} target="_blank" rel="noreferrer noopener">{t.community.viewOn(i.channel)}</a>}{' '}
                  <button type="button" onClick={() => open(i)}>{i.kind === 'mention' ? t.community.open : t.community.replyPublicly}</button>{' '}
                  <button type="button" onClick={() => open(i)}>{t.community.takePrivate}</button>{' '}
                  {can(me, 'conversations.assign') && <button type="button" onClick={() => assignToMe(i)}>{t.community.assignToMe}</button>}{' '}
                  <button type="button" onClick={() => dismiss([i])}>{t.community.dismiss}</button>
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}
