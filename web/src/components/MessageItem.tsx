import { t } from '../lib/text';
import type { Message } from '../lib/types';
import { SentimentBadge } from './SentimentBadge';

export function MessageItem({ message: m }: { message: Message }) {
  if (m.direction === 'activity') return <p className="activity">{m.text}</p>;
  return (
    <article className={`message message-${m.direction}`} data-message-id={m.id}>
      <header>
        <strong>{m.sender.name ?? (m.sender.type === 'system' ? 'Automatic' : 'Customer')}</strong>
        <time dateTime={m.sentAt}>{new Date(m.sentAt).toLocaleString()}</time>
        {m.signals && <SentimentBadge sentiment={m.signals.sentiment} />}
        {m.deliveryStatus && m.direction !== 'inbound' && (
          <span className={`delivery delivery-${m.deliveryStatus}`} title={m.deliveryError ?? undefined}>
            {t.conversation.delivery(m.deliveryStatus)}
          </span>
        )}
      </header>
      {m.subject && <p className="subject">{m.subject}</p>}
      {/* Text is rendered as text: React escapes it, so no customer markup reaches the page. */}
      <p className="text">{m.text}</p>
      {m.deliveryError && <p className="error">{m.deliveryError}</p>}
    </article>
  );
}
