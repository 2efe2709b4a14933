import { t } from '../lib/text';
import type { Message } from '../lib/types';
import { SentimentBadge } from './SentimentBadge';
import { formatDateTime, formatSize } from '../lib/format';
import { activityText } from '../lib/activity';

/** What the channel said about this message beyond its text: a delayed delivery, a repaired mail. */
function notesOf(m: Message): { deliveryNote?: string; warnings: string[] } {
  const meta = m.metadata as { deliveryNote?: unknown; email?: { warnings?: unknown } };
  const warnings = Array.isArray(meta.email?.warnings) ? meta.email.warnings.filter((w): w is string => typeof w === 'string') : [];
  return { deliveryNote: typeof meta.deliveryNote === 'string' ? meta.deliveryNote : undefined, warnings };
}

interface MessageItemProps {
  message: Message;
  /** While splitting: whether this message goes to the new conversation. */
  selectable?: { checked: boolean; onToggle: () => void };
  /** Undo a merge or split this activity line records. */
  onUndo?: (changeId: string) => void;
  /** A public comment the platform can hide (Messenger, Instagram): hide it, or show it again. */
  onHide?: (hidden: boolean) => void;
}

export function MessageItem({ message: m, selectable, onUndo, onHide }: MessageItemProps) {
  if (m.direction === 'activity') {
    const meta = m.metadata as { activity?: string; changeId?: string };
    const undoable = onUndo && meta.changeId && (meta.activity === 'merged' || meta.activity === 'split');
    return (
      <p className="activity">
        {activityText(m)}{' '}
        {undoable && (
          <button type="button" className="link" onClick={() => onUndo(meta.changeId!)}>
            {t.merge.undo}
          </button>
        )}
      </p>
    );
  }
  const { deliveryNote, warnings } = notesOf(m);
  const meta = m.metadata as { hidden?: unknown; template?: { name?: unknown }; selfService?: { read?: Array<{ id: string; title: string }>; query?: string } };
  const selfService = m.direction === 'inbound' ? meta.selfService : undefined;
  const hidden = meta.hidden === true;
  return (
    <article className={`message message-${m.direction}${hidden ? ' hidden-comment' : ''}`} data-message-id={m.id}>
      <header>
        {selectable && <input type="checkbox" aria-label={t.conversation.chooseForSplit} checked={selectable.checked} onChange={selectable.onToggle} />}
        <strong>{m.sender.name ?? (m.sender.type === 'system' ? t.conversation.automatic : t.conversation.customer)}</strong>
        <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time>
        {m.signals && <SentimentBadge sentiment={m.signals.sentiment} />}
        {m.deliveryStatus && m.direction !== 'inbound' && (
          <span className={`delivery delivery-${m.deliveryStatus}`} title={m.deliveryError ?? undefined}>
            {t.conversation.delivery(m.deliveryStatus)}
          </span>
        )}
        {typeof meta.template?.name === 'string' && <span className="tag">{meta.template.name}</span>}
        {hidden && <span className="tag hidden-tag">{t.comment.hidden}</span>}
        {onHide && (
          <button type="button" className="link" onClick={() => onHide(!hidden)}>
            {hidden ? t.comment.show : t.comment.hide}
          </button>
        )}
      </header>
      {selfService && (
        <p className="self-service" role="note">
          {t.conversation.selfService(selfService.read?.map((a) => a.title) ?? [], selfService.query)}
        </p>
      )}
      {m.subject && <p className="subject">{m.subject}</p>}
      {warnings.length > 0 && (
        <p className="mail-warning" role="note">
          {t.conversation.mailRepaired} {warnings.join('; ')}
        </p>
      )}
      {m.html ? (
        // Sanitised on arrival, and still shown in a sandbox: no script runs, nothing reaches this page.
        <iframe className="html" title={t.conversation.htmlVersion} sandbox="" srcDoc={m.html} referrerPolicy="no-referrer" />
      ) : (
        // Text is rendered as text: React escapes it, so no customer markup reaches the page.
        <p className="text">{m.text}</p>
      )}
      {m.attachments.length > 0 && (
        <ul className="attachments" aria-label={t.conversation.attachments}>
          {m.attachments.map((a) => (
            <li key={a.id} className="tag">
              {a.url ? (
                <a href={a.url} rel="noopener noreferrer" target="_blank">
                  {a.fileName}
                </a>
              ) : (
                a.fileName
              )}{' '}
              <small>({formatSize(a.size)})</small>
            </li>
          ))}
        </ul>
      )}
      {m.deliveryError && <p className="error">{m.deliveryError}</p>}
      {deliveryNote && !m.deliveryError && <p className="delivery-note">{deliveryNote}</p>}
    </article>
  );
}
