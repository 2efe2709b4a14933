import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';
import type { Conversation } from '../lib/types';

interface ContactDetails {
  contact: { id: string; name: string | null; email: string | null; phone: string | null; tier: string | null; customerValue: number | null; identities: Array<{ kind: string; address: string; optedOut: boolean }> };
  conversations: Conversation[];
}

/** Who the customer is on every channel, and all their conversations. */
export function ContactPanel({ contactId, current }: { contactId: string; current: string }) {
  const [details, setDetails] = useState<ContactDetails | null>(null);
  useEffect(() => {
    api<ContactDetails>(`/contacts/${contactId}`).then(setDetails, () => setDetails(null));
  }, [contactId, current]);
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
          </li>
        ))}
      </ul>
    </section>
  );
}
