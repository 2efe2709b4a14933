import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Conversation } from '../lib/types';

interface ContactDetails {
  contact: { id: string; name: string | null; email: string | null; phone: string | null; tier: string | null; customerValue: number | null; identities: Array<{ kind: string; address: string; optedOut: boolean }> };
  conversations: Conversation[];
}

/** Who the customer is on every channel, and all their conversations. */
export function ContactPanel({ contactId, current, version, onMerge }: { contactId: string; current: string; version?: number; onMerge?: (conversationId: string) => void }) {
  const [details, setDetails] = useState<ContactDetails | null>(null);
  useEffect(() => {
    api<ContactDetails>(`/contacts/${contactId}`).then(setDetails, () => setDetails(null));
  }, [contactId, current, version]);
  if (!details) return null;
  const c = details.contact;
  return (
    <section className="contact" aria-label={t.contact.title}>
      <h3>{t.contact.title}</h3>
      <p>
        <strong>{c.name ?? c.email ?? c.phone}</strong>
        {c.tier && <span className="tag">{c.tier}</span>}
      </p>
      <ul className="identities">
        {c.identities.map((i) => (
          <li key={`${i.kind}:${i.address}`}>
            <span className="channel">{i.kind}</span> {i.address}
            {i.optedOut && <span className="tag">{t.contact.optedOut}</span>}
          </li>
        ))}
      </ul>
      <h3>{t.contact.conversations(details.conversations.length)}</h3>
      <ul className="history">
        {details.conversations.map((x) => (
          <li key={x.id} aria-current={x.id === current}>
            #{x.reference} <span className="channel">{x.inbox.kind}</span> {x.status} · {x.lastMessagePreview}
            {onMerge && x.id !== current && x.type === details.conversations.find((y) => y.id === current)?.type && (
              <button type="button" className="link" onClick={() => onMerge(x.id)}>
                {t.merge.intoThis}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
