import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { t } from '../lib/text';

export interface Suggestion {
  kind: 'answer' | 'article';
  key: string;
  text: string;
  reason: string;
  source: { reference?: number; rating?: number | null; articleId?: string; title?: string; url?: string };
}

/**
 * Up to three suggested replies for the conversation (answers from similar solved conversations,
 * a help article), each with why; "Use" puts it in the composer, an article can go in as a link,
 * "Not this" hides it (and says so to the ranking). Read again when the customer writes.
 */
export function SuggestedReplies(p: { conversationId: string; lastInbound: string | undefined; onUse: (s: Suggestion, text: string) => void }) {
  const [items, setItems] = useState<Suggestion[]>([]);
  useEffect(() => {
    setItems([]);
    api<{ data: Suggestion[] }>(`/conversations/${p.conversationId}/suggestions`).then((r) => setItems(r.data), () => setItems([]));
  }, [p.conversationId, p.lastInbound]);
  const ignore = (s: Suggestion) => {
    setItems((list) => list.filter((x) => x.key !== s.key));
    void api(`/conversations/${p.conversationId}/suggestions/feedback`, { body: { key: s.key, kind: s.kind, action: 'ignored' } }).catch(() => {});
  };
  if (!items.length) return null;
  return (
    <section className="suggestions" aria-label={t.suggestions.title}>
      <ul>
        {items.map((s) => (
          <li key={s.key} className={`suggestion suggestion-${s.kind}`}>
            <p className="suggestion-text">{s.kind === 'article' ? <strong>{s.source.title} </strong> : null}{s.text.length > 220 ? `${s.text.slice(0, 220)}…` : s.text}</p>
            <small className="reason">{s.reason}</small>
            <span className="suggestion-actions">
              <button type="button" onClick={() => p.onUse(s, s.text)}>{t.suggestions.use}</button>
              {s.kind === 'article' && s.source.url && (
                <button type="button" onClick={() => p.onUse(s, `${s.source.title}: ${s.source.url}`)}>{t.suggestions.link}</button>
              )}
              <button type="button" className="link" onClick={() => ignore(s)} aria-label={t.suggestions.ignoreLabel(s.reason)}>{t.suggestions.ignore}</button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
