import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

/**
 * For a public mention: link it to the same customer's private conversation (one contact,
 * the private one raised for public exposure) and answer publicly with a holding reply.
 */
export function BridgePanel({ conversationId }: { conversationId: string }) {
  const [linked, setLinked] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const holdingReply = String(f.get('holdingReply') ?? '').trim();
    api<{ conversation: { reference: number } }>(`/conversations/${conversationId}/link`, {
      body: { reference: Number(String(f.get('reference')).replace('#', '')), ...(holdingReply ? { holdingReply } : {}) },
    }).then((r) => (setError(null), setLinked(r.conversation.reference)), (err: Error) => setError(err.message));
  };
  return (
    <section className="panel bridge" aria-label={t.bridge.title}>
      <h3>{t.bridge.title}</h3>
      {linked ? (
        <p role="status">{t.bridge.linked(linked)}</p>
      ) : (
        <form onSubmit={submit}>
          <label>
            {t.bridge.reference} <input name="reference" required pattern="#?[0-9]+" placeholder="#1042" />
          </label>
          <label>
            {t.bridge.holdingReply} <textarea name="holdingReply" rows={2} maxLength={280} defaultValue={t.bridge.defaultReply} />
          </label>
          <button type="submit">{t.bridge.link}</button>
        </form>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
