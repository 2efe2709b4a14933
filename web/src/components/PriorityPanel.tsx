import { t } from '../lib/text';
import { factorDetail } from '../lib/server-words';
import { formatScore } from '../lib/format';
import type { Conversation, Message } from '../lib/types';

/** "Why this priority": the factors of the score and what the analysis saw in the latest customer message. */
export function PriorityPanel({ conversation, messages }: { conversation: Conversation; messages: Message[] }) {
  const latest = [...messages].reverse().find((m) => m.direction === 'inbound' && m.signals);
  const s = latest?.signals;
  return (
    <aside className="why" aria-label={t.conversation.why}>
      <h3>
        {t.conversation.why}: {conversation.priority}
      </h3>
      <ul className="factors">
        {(conversation.priorityReason.factors ?? []).map((f) => (
          <li key={f.factor}>
            <span className="points">+{f.points}</span> {t.why.factors[f.factor] ?? f.factor} <small>({factorDetail(f) ?? f.detail})</small>
          </li>
        ))}
      </ul>
      <h3>{t.conversation.signals}</h3>
      {s ? (
        <dl>
          <dt>{t.why.sentiment}</dt>
          <dd>
            {t.sentiment[s.sentiment.label]} {formatScore(s.sentiment.score)} ({Math.round(s.sentiment.confidence * 100)}%)
          </dd>
          {s.complaint && (
            <>
              <dt>{t.why.complaint}</dt>
              <dd>
                {s.complaint.category} ({Math.round(s.complaint.confidence * 100)}%)
              </dd>
            </>
          )}
          {s.urgency.length > 0 && (
            <>
              <dt>{t.why.urgency}</dt>
              <dd>{s.urgency.map((u) => `${u.cue} “${u.phrase}”`).join(', ')}</dd>
            </>
          )}
          <dt>{t.why.words}</dt>
          <dd className="explanation">
            {s.explanation.sentiment.map((e) => (
              <span key={e.feature} className={e.weight < 0 ? 'neg' : 'pos'}>
                {e.feature} {formatScore(e.weight, true)}
              </span>
            ))}
          </dd>
          <dt>{t.why.model}</dt>
          <dd>{s.modelVersion}</dd>
        </dl>
      ) : (
        <p>{t.conversation.noSignals}</p>
      )}
    </aside>
  );
}
