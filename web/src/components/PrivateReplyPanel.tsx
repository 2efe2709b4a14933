import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

/** For a comment under the brand's post (Messenger, Instagram): answer its writer privately, in a direct message linked to this conversation. */
export function PrivateReplyPanel({ conversationId }: { conversationId: string }) {
  const [sent, setSent] = useState<{ reference: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('text') ?? '').trim();
    if (!text) return;
    setBusy(true);
    try {
      const r = await api<{ conversation: { reference: number } }>(`/conversations/${conversationId}/private-reply`, { body: { text } });
      setError(null);
      setSent(r.conversation);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel bridge" aria-label={t.privateReply.title}>
      <h3>{t.privateReply.title}</h3>
      {sent ? (
        <p role="status">{t.privateReply.sent(sent.reference)}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <label>
            {t.privateReply.label} <textarea name="text" rows={3} maxLength={1000} required defaultValue={t.privateReply.defaultText} />
          </label>
          <button type="submit" disabled={busy}>{t.privateReply.send}</button>
        </form>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
