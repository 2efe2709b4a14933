import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Agent, Message } from '../lib/types';

/** A customer message or another agent's reply that arrived after `seen` messages. */
const newerThan = (messages: Message[], seen: number, me: Agent) =>
  messages.slice(seen).some((m) => m.direction === 'inbound' || (m.direction === 'outbound' && m.sender.type === 'agent' && m.sender.id !== me.id));

export function Composer(p: { conversationId: string; messages: Message[]; me: Agent; onSent: (m: Message) => void; onTyping?: (typing: boolean) => void }) {
  const { conversationId, onSent, onTyping } = p;
  const [text, setText] = useState('');
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
      <div role="tablist" aria-label="Message type">
        <button type="button" role="tab" aria-selected={!isNote} onClick={() => setIsNote(false)}>
          {t.conversation.reply}
        </button>
        <button type="button" role="tab" aria-selected={isNote} onClick={() => setIsNote(true)}>
          {t.conversation.note}
        </button>
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
