import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Agent, Message } from '../lib/types';

/** A customer message or another agent's reply that arrived after `seen` messages. */
const newerThan = (messages: Message[], seen: number, me: Agent) =>
  messages.slice(seen).some((m) => m.direction === 'inbound' || (m.direction === 'outbound' && m.sender.type === 'agent' && m.sender.id !== me.id));

interface Canned {
  id: string;
  shortcut: string;
  title: string;
  text: string;
}

export function Composer(p: { conversationId: string; customerName: string | null; messages: Message[]; me: Agent; onSent: (m: Message) => void; onTyping?: (typing: boolean) => void }) {
  const { conversationId, onSent, onTyping } = p;
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<Canned[]>([]);
  useEffect(() => {
    api<{ data: Canned[] }>('/canned-responses').then((r) => setCanned(r.data), () => {});
  }, []);
  const insert = (id: string) => {
    const c = canned.find((x) => x.id === id);
    if (!c) return;
    const filled = c.text.replaceAll('{name}', p.customerName?.split(' ')[0] ?? '');
    if (!text) {
      onTyping?.(true);
      setSeen(p.messages.length);
    }
    setText((old) => (old ? `${old}\n${filled}` : filled));
  };
  // Send guard: how many messages there were when the agent started this reply.
  const [seen, setSeen] = useState<number | null>(null);
  const [guarded, setGuarded] = useState(false);
  const [isNote, setIsNote] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (!isNote && !guarded && seen != null && newerThan(p.messages, seen, p.me)) {
      setGuarded(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSent(await api<Message>(`/conversations/${conversationId}/messages`, { body: { text, private: isNote } }));
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
  return (
    <form className={isNote ? 'composer note' : 'composer'} onSubmit={send}>
      <div className="composer-tools">
        <div role="tablist" aria-label="Message type">
          <button type="button" role="tab" aria-selected={!isNote} onClick={() => setIsNote(false)}>
            {t.conversation.reply}
          </button>
          <button type="button" role="tab" aria-selected={isNote} onClick={() => setIsNote(true)}>
            {t.conversation.note}
          </button>
        </div>
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
      <label className="sr-only" htmlFor="composer-text">
        {isNote ? t.conversation.note : t.conversation.reply}
      </label>
      <textarea
        id="composer-text"
        value={text}
        onChange={(e) => {
          if (!text && e.target.value) {
            onTyping?.(true);
            setSeen(p.messages.length);
          }
          if (text && !e.target.value) onTyping?.(false);
          setText(e.target.value);
        }}
        onBlur={() => onTyping?.(false)}
        placeholder={isNote ? t.conversation.notePlaceholder : t.conversation.replyPlaceholder}
        aria-describedby={isNote ? 'note-hint' : undefined}
        rows={3}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void send(e);
        }}
      />
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
      <button type="submit" disabled={busy || !text.trim()}>
        {busy ? t.conversation.sending : guarded ? t.conversation.sendAnyway : t.conversation.send}
      </button>
    </form>
  );
}
