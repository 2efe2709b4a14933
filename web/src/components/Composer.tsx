import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import { can, type Agent, type Message } from '../lib/types';
import { TemplatePicker, type ReplyRules } from './TemplatePicker';
import { customerLanguage } from '../../../src/routing/customer-language';
import { salutation } from '../../../src/routing/salutation';
import { SuggestedReplies, type Suggestion } from './SuggestedReplies';
import { ArticlePicker } from './ArticlePicker';
import { channelNotice } from '../lib/server-words';

/** Someone else wrote: a message the agent had not seen when they started typing, from the customer or a colleague. */
const newerThan = (messages: Message[], seen: Set<string>, me: Agent) =>
  messages.some((m) => !seen.has(m.id) && (m.direction === 'inbound' || (m.direction === 'outbound' && m.sender.type === 'agent' && m.sender.id !== me.id)));

interface Canned {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  /** The answer in other languages: the customer's is offered. */
  variants: Record<string, string>;
}

export function Composer(p: { conversationId: string; customerName: string | null; customerLanguage?: string | null; messages: Message[]; loaded: boolean; me: Agent; onSent: (m: Message) => void; onTyping?: (typing: boolean) => void }) {
  const { conversationId, onSent, onTyping } = p;
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<Canned[]>([]);
  useEffect(() => {
    api<{ data: Canned[] }>('/canned-responses').then((r) => setCanned(r.data), () => {});
  }, []);
  // The channel's rules (a window, templates), read again when the customer writes.
  const [rules, setRules] = useState<ReplyRules | null>(null);
  const lastInbound = p.messages.filter((m) => m.direction === 'inbound').at(-1)?.id;
  useEffect(() => {
    api<ReplyRules>(`/conversations/${conversationId}/reply-rules`).then(setRules, () => setRules(null));
  }, [conversationId, lastInbound]);
  const insert = (id: string) => {
    const c = canned.find((x) => x.id === id);
    if (!c) return;
    // The customer's language's variant when there is one ({greeting}: the greeting in that language).
    const language = customerLanguage({ contact: p.customerLanguage }, Object.keys(c.variants ?? {}));
    const body = c.variants?.[language] ?? c.text;
    const filled = body
      .replaceAll('{greeting}', salutation({ language: c.variants?.[language] ? language : 'en', tone: 'informal', name: p.customerName }))
      .replaceAll('{name}', p.customerName?.split(' ')[0] ?? '');
    if (!text) {
      onTyping?.(true);
      setSeen(snapshot());
    }
    setText((old) => (old ? `${old}\n${filled}` : filled));
  };
  // Send guard: the messages there were when the agent started this reply ('pending': they
  // started before the timeline was read, which then counts as seen). By id, not by count: a
  // timeline read after the first keystroke is not someone writing meanwhile.
  const [seen, setSeen] = useState<Set<string> | 'pending' | null>(null);
  const snapshot = () => (p.loaded ? new Set(p.messages.map((m) => m.id)) : 'pending');
  useEffect(() => {
    if (seen === 'pending' && p.loaded) setSeen(new Set(p.messages.map((m) => m.id)));
  }, [seen, p.loaded, p.messages]);
  const [guarded, setGuarded] = useState(false);
  // What the role allows: a role that only writes notes starts on a note; one that may do neither gets no composer.
  const mayReply = can(p.me, 'conversations.reply');
  const mayNote = can(p.me, 'conversations.note');
  const [isNote, setIsNote] = useState(!mayReply);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The suggestion put in the composer: on send, "used" if it went as it was, "edited" if not.
  const [used, setUsed] = useState<{ s: Suggestion; text: string } | null>(null);
  const useSuggestion = (s: Suggestion, inserted: string) => {
    if (!text) {
      onTyping?.(true);
      setSeen(snapshot());
    }
    const next = text ? `${text}\n${inserted}` : inserted;
    setText(next);
    setUsed({ s, text: next });
  };
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (!isNote && !guarded && seen instanceof Set && newerThan(p.messages, seen, p.me)) {
      setGuarded(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSent(await api<Message>(`/conversations/${conversationId}/messages`, { body: { text, private: isNote } }));
      if (used && !isNote) {
        void api(`/conversations/${conversationId}/suggestions/feedback`, { body: { key: used.s.key, kind: used.s.kind, action: text === used.text ? 'used' : 'edited' } }).catch(() => {});
      }
      setUsed(null);
      setText('');
      setSeen(null);
      setGuarded(false);
      onTyping?.(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  if (!mayReply && !mayNote) return <p className="muted composer">{t.conversation.readOnly}</p>;
  const templateOnly = !isNote && !!rules?.templateRequired;
  return (
    <form className={isNote ? 'composer note' : 'composer'} onSubmit={send}>
      {!isNote && rules?.notice && (
        <p className={`channel-notice${templateOnly ? ' closed' : ''}`} role="status">
          {rules.noticeKey ? channelNotice(rules.noticeKey) : rules.notice}
        </p>
      )}
      <div className="composer-tools">
        <div role="tablist" aria-label={t.composer.messageType}>
          {mayReply && (
            <button type="button" role="tab" aria-selected={!isNote} onClick={() => setIsNote(false)}>
              {t.conversation.reply}
            </button>
          )}
          {mayNote && (
            <button type="button" role="tab" aria-selected={isNote} onClick={() => setIsNote(true)}>
              {t.conversation.note}
            </button>
          )}
        </div>
        {!isNote && mayReply && (
          <ArticlePicker
            onInsert={(inserted) => {
              if (!text) {
                onTyping?.(true);
                setSeen(snapshot());
              }
              setText((old) => (old ? `${old}\n${inserted}` : inserted));
            }}
          />
        )}
        {canned.length > 0 && (
          <label>
            <span className="sr-only">{t.conversation.canned}</span>
            <select value="" onChange={(e) => insert(e.target.value)}>
              <option value="">{t.conversation.canned}…</option>
              {canned.map((c) => (
                <option key={c.id} value={c.id}>
                  /{c.shortcut} — {c.title}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!isNote && mayReply && (rules?.templates?.length ?? 0) > 0 && (
        <TemplatePicker conversationId={conversationId} templates={rules!.templates!} customerName={p.customerName} customerLanguage={p.customerLanguage} onSent={onSent} />
      )}
      {!templateOnly && (
      <>
      {!isNote && mayReply && <SuggestedReplies conversationId={conversationId} lastInbound={lastInbound} onUse={useSuggestion} />}
      <label className="sr-only" htmlFor="composer-text">
        {isNote ? t.conversation.note : t.conversation.reply}
      </label>
      <textarea
        id="composer-text"
        value={text}
        onChange={(e) => {
          if (!text && e.target.value) {
            onTyping?.(true);
            setSeen(snapshot());
          }
          if (text && !e.target.value) onTyping?.(false);
          setText(e.target.value);
        }}
        onBlur={() => onTyping?.(false)}
        placeholder={isNote ? t.conversation.notePlaceholder : t.conversation.replyPlaceholder}
        aria-describedby={isNote ? 'note-hint' : undefined}
        rows={3}
        maxLength={!isNote ? rules?.maxLength : undefined}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void send(e);
        }}
      />
      </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isNote && (
        <p id="note-hint" className="hint">
          {t.conversation.mentionHint}
        </p>
      )}
      {guarded && (
        <p role="alert" className="guard">
          {t.conversation.guard}
        </p>
      )}
      {!templateOnly && (
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? t.conversation.sending : guarded ? t.conversation.sendAnyway : t.conversation.send}
        </button>
      )}
    </form>
  );
}
