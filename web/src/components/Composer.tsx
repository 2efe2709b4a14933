import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Message } from '../lib/types';

export function Composer({ conversationId, onSent, onTyping }: { conversationId: string; onSent: (m: Message) => void; onTyping?: (typing: boolean) => void }) {
  const [text, setText] = useState('');
  const [isNote, setIsNote] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onSent(await api<Message>(`/conversations/${conversationId}/messages`, { body: { text, private: isNote } }));
      setText('');
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
          if (!text && e.target.value) onTyping?.(true);
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
      <button type="submit" disabled={busy || !text.trim()}>
        {busy ? t.conversation.sending : t.conversation.send}
      </button>
    </form>
  );
}
