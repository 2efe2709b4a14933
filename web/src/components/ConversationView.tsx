import { useEffect, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { can, type Agent, type Conversation, type Message, type MessageEvent, type PresenceEvent, type TypingEvent } from '../lib/types';
import { Composer } from './Composer';
import { ContactPanel } from './ContactPanel';
import { Labels } from './Labels';
import { markRead } from '../lib/unread';
import { newerFor } from '../lib/realtime';
import { MessageItem } from './MessageItem';
import { PriorityPanel } from './PriorityPanel';
import { ComplaintPanel } from './ComplaintPanel';
import { IncidentBanner } from './IncidentBanner';
import { BridgePanel } from './BridgePanel';
import { PrivateReplyPanel } from './PrivateReplyPanel';
import { HandOverSummary } from './HandOverSummary';
import { languageName, localTimeOf } from '../lib/format';

function snoozeUntil(choice: string): string {
  const d = new Date();
  if (choice === '1h') d.setHours(d.getHours() + 1);
  else if (choice === '4h') d.setHours(d.getHours() + 4);
  else {
    d.setDate(d.getDate() + 1);
    d.setHours(9, 0, 0, 0);
  }
  return d.toISOString();
}

export function ConversationView(p: { conversationId: string; summary: Conversation | null; me: Agent; socket: Socket; lastEventId: () => string | undefined; onBack: () => void }) {
  const [conversation, setConversation] = useState<Conversation | null>(p.summary);
  const [messages, setMessages] = useState<Message[]>([]);
  // The timeline has been read once: until then the composer's send guard has nothing to compare.
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [others, setOthers] = useState<Array<{ id: string; name: string }>>([]);
  const [typing, setTyping] = useState<string | null>(null);
  const [agents, setAgents] = useState<Array<{ id: string; name: string }>>([]);
  const mayAssign = can(p.me, 'conversations.assign');
  const mayResolve = can(p.me, 'conversations.resolve');
  const mayMerge = can(p.me, 'contacts.merge');
  // Splitting: the messages chosen to become a new conversation.
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  // Bumped after a merge, a split or an undo: the timeline is read again.
  const [version, setVersion] = useState(0);
  const change = (path: string, body: unknown = {}) =>
    api(path, { method: 'POST', body }).then(() => (setError(null), setChosen(null), setVersion((v) => v + 1)), (err: Error) => setError(err.message));
  const mayReply = can(p.me, 'conversations.reply');
  // The customer's language (theirs, else what they last wrote in) and local time, in the header.
  const customerLanguage = conversation?.contact.language ?? [...messages].reverse().find((m) => m.direction === 'inbound' && m.signals?.language)?.signals?.language ?? null;
  // Comments under the brand's posts on Messenger and Instagram: hidden, shown again, answered privately.
  const commentsHideable = conversation?.type === 'mention' && (conversation.inbox.kind === 'messenger' || conversation.inbox.kind === 'instagram');
  const hideComment = (messageId: string, hidden: boolean) =>
    api<Message>(`/conversations/${p.conversationId}/messages/${messageId}/hidden`, { body: { hidden } }).then(
      (m) => (setError(null), setMessages((list) => list.map((x) => (x.id === m.id ? m : x)))),
      (err: Error) => setError(err.message),
    );
  const [macros, setMacros] = useState<Array<{ id: string; name: string }>>([]);
  useEffect(() => void api<{ data: Array<{ id: string; name: string }> }>('/macros').then((r) => setMacros(r.data), () => {}), []);
  useEffect(() => {
    api<{ data: Array<{ id: string; name: string }> }>('/agents').then((r) => setAgents(r.data), () => {});
  }, []);

  useEffect(() => {
    const read = () => api<{ conversation: Conversation; messages: Message[] }>(`/conversations/${p.conversationId}`).then(
      (r) => {
        setConversation(r.conversation);
        // A live message may have come while the timeline was read: keep it, once, in time order.
        setMessages((live) => [...r.messages, ...live.filter((m) => !r.messages.some((x) => x.id === m.id))].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt)));
        setLoaded(true);
      },
      (err: Error) => setError(err.message),
    );
    void read();
    // The newest event applied per message: a replayed older one must not undo it.
    const applied = new Map<string, string>();
    const onMessage = (e: MessageEvent & { eventId?: string }) => {
      if (e.conversationId !== p.conversationId || !newerFor(applied, e.message.id, e.eventId)) return;
      setMessages((list) => (list.some((m) => m.id === e.message.id) ? list.map((m) => (m.id === e.message.id ? e.message : m)) : [...list, e.message]));
    };
    // Collision: who else has this conversation open, and who is typing in it.
    const onPresence = (e: PresenceEvent) => {
      if (e.conversationId === p.conversationId) setOthers(e.viewers.filter((v) => v.id !== p.me.id));
    };
    const onTyping = (e: TypingEvent) => {
      if (e.conversationId === p.conversationId && e.agent.id !== p.me.id) setTyping(e.typing ? e.agent.name : null);
    };
    // The conversation's room brings its activity lines and delivery statuses; rooms end with a connection, so join again after a reconnect.
    // Rejoining after a reconnect asks for the lines missed meanwhile; if they cannot be replayed, the timeline is read again.
    const join = () => p.socket.emit('conversation:join', { conversationId: p.conversationId });
    // From the last event seen before the connection dropped (the connection's own replay moves the newest id on before this runs).
    let since: string | undefined;
    const dropped = () => (since = p.lastEventId());
    const rejoin = () => p.socket.emit('conversation:join', { conversationId: p.conversationId, lastEventId: since });
    const onReplay = (r: { room?: string; complete: boolean }) => {
      if (r.room === `conversation:${p.conversationId}` && !r.complete) void read();
    };
    join();
    p.socket.on('disconnect', dropped);
    p.socket.on('connect', rejoin);
    p.socket.on('replay', onReplay);
    p.socket.on('message.created', onMessage);
    p.socket.on('message.updated', onMessage);
    p.socket.on('presence', onPresence);
    p.socket.on('typing', onTyping);
    return () => {
      p.socket.emit('conversation:leave', { conversationId: p.conversationId });
      p.socket.off('disconnect', dropped);
      p.socket.off('connect', rejoin);
      p.socket.off('replay', onReplay);
      p.socket.off('message.created', onMessage);
      p.socket.off('message.updated', onMessage);
      p.socket.off('presence', onPresence);
      p.socket.off('typing', onTyping);
    };
  }, [p.conversationId, p.socket, version]);

  useEffect(() => {
    if (p.summary) setConversation(p.summary);
  }, [p.summary]);

  // Open means read, up to the newest message shown.
  useEffect(() => {
    if (conversation) markRead(conversation.id, conversation.lastMessageAt);
  }, [conversation]);

  if (error) return <main className="conversation error" role="alert">{error}</main>;
  if (!conversation) return <main className="conversation" aria-busy="true" />;

  const act = (path: string, body: unknown) => api<Conversation>(`/conversations/${conversation.id}/${path}`, { body }).then(setConversation, (err: Error) => setError(err.message));
  return (
    <main className="conversation" aria-label={`Conversation #${conversation.reference}`}>
      <header className="conversation-head">
        <button type="button" className="back" onClick={p.onBack} aria-label={t.conversation.backToList}>
          ← {t.conversation.back}
        </button>
        <h2>
          #{conversation.reference} {conversation.subject ?? conversation.contact.name ?? conversation.contact.email}
        </h2>
        {(customerLanguage || conversation.contact.timeZone) && (
          <span className="customer-locale" title={t.conversation.customerLocale}>
            {[customerLanguage && customerLanguage !== 'und' ? languageName(customerLanguage) : null, conversation.contact.timeZone ? localTimeOf(conversation.contact.timeZone) : null].filter(Boolean).join(' · ')}
          </span>
        )}
        {(others.length > 0 || typing) && (
          <p className="presence" role="status">
            {typing ? t.conversation.typing(typing) : t.conversation.alsoViewing(others.map((o) => o.name))}
          </p>
        )}
        <div className="actions">
          {/* Only what the role allows (the server checks it too). */}
          {mayAssign && conversation.assignee?.id !== p.me.id && <button onClick={() => act('assign', { assigneeId: 'me' })}>{t.conversation.assignToMe}</button>}
          {mayAssign && agents.length > 0 && (
            <label>
              <span className="sr-only">{t.conversation.assignTo}</span>
              <select value={conversation.assignee?.id ?? ''} onChange={(e) => act('assign', { assigneeId: e.target.value || null })}>
                <option value="">{t.list.unassigned}</option>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {mayResolve && conversation.status !== 'resolved' && conversation.status !== 'pending' && <button onClick={() => act('status', { status: 'pending' })}>{t.conversation.pending}</button>}
          {mayResolve && conversation.status !== 'resolved' && (
            <label>
              <span className="sr-only">{t.conversation.snooze}</span>
              <select value="" onChange={(e) => e.target.value && act('status', { status: 'snoozed', snoozedUntil: snoozeUntil(e.target.value) })}>
                <option value="">{t.conversation.snooze}…</option>
                <option value="1h">{t.conversation.snoozeFor.hour}</option>
                <option value="4h">{t.conversation.snoozeFor.hours}</option>
                <option value="tomorrow">{t.conversation.snoozeFor.tomorrow}</option>
              </select>
            </label>
          )}
          {mayMerge && (
            <button type="button" aria-pressed={chosen !== null} onClick={() => setChosen(chosen ? null : new Set())}>
              {chosen ? t.conversation.cancelSplit : t.conversation.split}
            </button>
          )}
          {chosen && chosen.size > 0 && (
            <button type="button" onClick={() => void change(`/conversations/${conversation.id}/split`, { messageIds: [...chosen] })}>
              {t.conversation.splitChosen(chosen.size)}
            </button>
          )}
          {macros.length > 0 && (
            <select aria-label={t.macros.apply} value="" onChange={(e) => e.target.value && void change(`/macros/${e.target.value}/apply`, { conversationId: conversation.id })}>
              <option value="">{t.macros.apply}</option>
              {macros.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
          )}
          {mayResolve &&
            (conversation.status === 'resolved' || conversation.status === 'snoozed' || conversation.status === 'pending' ? (
              <button onClick={() => act('status', { status: 'open' })}>{t.conversation.reopen}</button>
            ) : (
              <button onClick={() => act('status', { status: 'resolved' })}>{t.conversation.resolve}</button>
            ))}
        </div>
      </header>
      <IncidentBanner conversationId={conversation.id} mayLink={can(p.me, 'incidents.manage')} />
      <div className="conversation-body">
        <section className="timeline" aria-label={t.landmarks.messages} aria-live="polite">
          {messages.map((m) => (
            <MessageItem
              key={m.id}
              message={m}
              selectable={chosen && (m.direction === 'inbound' || m.direction === 'outbound') ? { checked: chosen.has(m.id), onToggle: () => setChosen((c) => { const next = new Set(c); if (next.has(m.id)) next.delete(m.id); else next.add(m.id); return next; }) } : undefined}
              onUndo={mayMerge ? (changeId) => void change(`/conversations/merges/${changeId}/undo`) : undefined}
              onHide={commentsHideable && m.direction === 'inbound' && mayReply ? (hidden) => void hideComment(m.id, hidden) : undefined}
            />
          ))}
        </section>
        <div className="side">
          <HandOverSummary conversationId={conversation.id} version={messages.length} />
          <Labels conversation={conversation} onChange={setConversation} />
          <ComplaintPanel conversation={conversation} editable={mayAssign} onChange={setConversation} />
          <PriorityPanel conversation={conversation} messages={messages} />
          {commentsHideable && mayReply && <PrivateReplyPanel conversationId={conversation.id} />}
          {conversation.type === 'mention' && <BridgePanel conversationId={conversation.id} />}
          <ContactPanel contactId={conversation.contact.id} current={conversation.id} version={version} onMerge={mayMerge ? (otherId) => void change(`/conversations/${conversation.id}/merge`, { conversationId: otherId }) : undefined} />
        </div>
      </div>
      <Composer conversationId={conversation.id} customerName={conversation.contact.name} customerLanguage={customerLanguage} messages={messages} loaded={loaded} me={p.me} onTyping={(typing) => p.socket.emit('conversation:typing', { conversationId: conversation.id, typing })} onSent={(m) => setMessages((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]))} />
    </main>
  );
}
