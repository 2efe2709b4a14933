import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

interface Line { label: 'customer' | 'promise' | 'open'; text: string; messageId: string | null }

/** The three lines an agent taking over needs, each a link to the message it was taken from. */
export function HandOverSummary({ conversationId, version }: { conversationId: string; version: number }) {
  const [lines, setLines] = useState<Line[]>([]);
  useEffect(() => {
    api<{ data: Line[] }>(`/conversations/${conversationId}/summary`).then((r) => setLines(r.data), () => setLines([]));
  }, [conversationId, version]);
  const show = (id: string) => {
    const el = document.querySelector<HTMLElement>(`[data-message-id="${id}"]`);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el?.classList.add('flash');
    setTimeout(() => el?.classList.remove('flash'), 1_500);
  };
  if (!lines.length) return null;
  return (
    <section className="panel hand-over" aria-label={t.handOver.title}>
      <h3>{t.handOver.title}</h3>
      <dl>
        {lines.map((l) => (
          <div key={l.label}>
            <dt>{t.handOver[l.label]}</dt>
            <dd>{l.messageId ? <button type="button" className="link" onClick={() => show(l.messageId!)}>{l.text}</button> : l.text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
