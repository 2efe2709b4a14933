import { t } from '../lib/text';
import type { Conversation } from '../lib/types';
import { SentimentBadge } from './SentimentBadge';
import { SlaCountdown } from './SlaCountdown';
import { Sparkline } from './Sparkline';
import { isUnread } from '../lib/unread';

const minutesSince = (iso: string | null) => (iso ? Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000)) : null);

export function ConversationList(p: {
  conversations: Conversation[];
  selected: string | null;
  onSelect: (id: string) => void;
  /** "1,000+ conversations" */
  count?: string | null;
  hint?: string | null;
  /** Loads the next page; null on the last one. */
  onMore?: (() => void) | null;
  /** Ticked for a bulk action; absent: no boxes. */
  checked?: Set<string>;
  onCheck?: (id: string, on: boolean) => void;
}) {
  if (!p.conversations.length) return <aside className="list empty">{p.hint ?? t.list.empty}</aside>;
  return (
    <aside className="list" aria-label={t.landmarks.conversations}>
      {(p.count || p.hint) && (
        <p className="list-count" role="status">
          {p.hint ?? p.count}
        </p>
      )}
      <ol>
        {p.conversations.map((c) => {
          const waiting = minutesSince(c.waitingSince);
          const unread = p.selected !== c.id && isUnread(c.id, c.lastMessageAt);
          return (
            <li key={c.id} className={p.checked ? 'checkable' : undefined}>
              {p.checked && (
                <input type="checkbox" className="pick" aria-label={t.incidents.select(c.reference)} checked={p.checked.has(c.id)} onChange={(e) => p.onCheck?.(c.id, e.target.checked)} />
              )}
              <button className={unread ? 'row unread' : 'row'} aria-current={p.selected === c.id} data-conversation-id={c.id} onClick={() => p.onSelect(c.id)}>
                {unread && <span className="sr-only">{t.list.unread}</span>}
                <span className="priority" title={t.list.priority}>
                  {c.priority}
                </span>
                <span className="who">
                  <span className={`channel channel-${c.inbox.kind}`}>{c.inbox.kind}</span> {c.contact.name ?? c.contact.email ?? c.contact.phone ?? 'Unknown'}
                </span>
                <SentimentBadge sentiment={c.sentiment} />
                <span className="preview">
                  {c.subject && <span className="subject">{c.subject} — </span>}
                  {c.lastMessagePreview}
                </span>
                <span className="meta">
                  <Sparkline series={c.sentiment?.series ?? []} slope={c.sentiment?.slope ?? null} />
                  {c.complaintCategory && <span className="tag">{c.complaintCategory}</span>}
                  {waiting != null && <span>{t.list.waiting(waiting)}</span>}
                  <SlaCountdown due={c.firstResponseAt ? c.nextResponseDueAt : c.firstResponseDueAt} />
                  <span>{c.assignee?.name ?? t.list.unassigned}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {p.onMore && (
        <button className="more" onClick={p.onMore}>
          {t.list.more}
        </button>
      )}
    </aside>
  );
}
