// A survey's answer, from wherever it comes (the survey page, the widget's rating card, a reply of
// 1–5): recorded, changeable for 7 days after the survey was sent. A detractor — a rating of 1 or 2,
// or a negative reply to a recovery follow-up — reopens the conversation to its team at top
// priority with the "detractor" label, once.
import type { Database } from '../../platform/db/client';
import { ConflictError, NotFoundError } from '../../platform/errors';
import { raisePriorityFloor } from '../../routing/priority';
import type { ConversationActions } from '../conversations/actions';
import { RATING_REPLY } from '../conversations/threading';
import type { SurveyAnswerPort } from '../channels/contract';

export const ANSWER_WINDOW_MS = 7 * 86_400_000;
const DETRACTOR_FLOOR = 100;
const SYSTEM = { type: 'system', name: 'Survey' } as const;

export interface SurveyAnswer {
  rating?: number;
  comment?: string;
  /** A reply's words judged negative (a follow-up answered in words). */
  negative?: boolean;
  via: 'page' | 'widget' | 'reply';
}

export class SurveyAnswers {
  constructor(private readonly o: { db: Database; actions: ConversationActions; now?: () => Date }) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** The survey as the page shows it. */
  async get(id: string) {
    const s = await this.o.db.prisma.survey.findUnique({ where: { id }, include: { conversation: { select: { reference: true, contact: { select: { name: true, language: true } } } } } });
    if (!s || !s.sentAt) throw new NotFoundError('Survey');
    return { ...s, open: this.now().getTime() - s.sentAt.getTime() <= ANSWER_WINDOW_MS };
  }

  async record(id: string, a: SurveyAnswer): Promise<{ detractor: boolean }> {
    const now = this.now();
    const before = await this.o.db.prisma.survey.findUnique({ where: { id } });
    if (!before || !before.sentAt || (before.status !== 'sent' && before.status !== 'answered')) throw new NotFoundError('Survey');
    if (now.getTime() - before.sentAt.getTime() > ANSWER_WINDOW_MS) throw new ConflictError('This survey closed 7 days after it was sent');
    await this.o.db.prisma.survey.update({
      where: { id },
      data: {
        status: 'answered',
        answeredAt: now,
        ...(a.rating !== undefined ? { rating: a.rating } : {}),
        ...(a.comment !== undefined ? { comment: a.comment.slice(0, 2_000) } : {}),
      },
    });
    const detractor = (a.rating !== undefined && a.rating <= 2 && (before.rating === null || before.rating > 2)) || (before.kind === 'follow_up' && a.negative === true && before.status === 'sent');
    if (detractor) await this.reopen(before.conversationId, a.rating !== undefined ? `rated ${a.rating} of 5` : 'answered the follow-up unhappily');
    return { detractor };
  }

  /** Back to its team, at the top of the queue, labelled: a customer is unhappy with how it ended. */
  private async reopen(conversationId: string, why: string): Promise<void> {
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { status: true, priority: true, priorityFloor: true, priorityReason: true, waitingSince: true } });
    const actor = SYSTEM;
    if (c.status !== 'open') await this.o.actions.setStatus(actor, conversationId, { status: 'open' });
    const now = this.now();
    const raised = raisePriorityFloor({ ...c, waitingSince: c.waitingSince ?? now }, DETRACTOR_FLOOR, 'a detractor', 'urgency');
    await this.o.actions.record(actor, conversationId, { text: `The customer ${why}: reopened at top priority`, kind: 'detractor', data: {} }, { ...(raised ?? {}), waitingSince: c.waitingSince ?? now }, ['priority', 'waitingSince']);
    await this.o.actions.addLabels(actor, conversationId, ['detractor']);
  }

  /**
   * Replies to sent surveys (SMS, X, Slack, email answered in words): a bare 1–5 is the rating;
   * words answering a follow-up count as its answer, negative ones make a detractor.
   */
  async fromReplies(): Promise<number> {
    const { rows } = await this.o.db.pool.query<{ survey_id: string; text: string; sentiment: string | null; kind: string }>(
      `SELECT DISTINCT ON (s.id) s.id AS survey_id, m.text, sig.sentiment_label AS sentiment, s.kind::text AS kind
         FROM surveys s JOIN messages m ON m.conversation_id = s.conversation_id AND m.direction = 'inbound' AND m.created_at > s.sent_at
         LEFT JOIN message_signals sig ON sig.message_id = m.id
        WHERE s.status = 'sent' AND s.sent_at >= $1
        ORDER BY s.id, m.created_at`,
      [new Date(this.now().getTime() - ANSWER_WINDOW_MS)],
    );
    let n = 0;
    for (const r of rows) {
      const rating = RATING_REPLY.exec(r.text)?.[1];
      if (rating) await this.record(r.survey_id, { rating: Number(rating), via: 'reply' });
      else if (r.kind === 'follow_up') await this.record(r.survey_id, { comment: r.text, negative: r.sentiment === 'negative', via: 'reply' });
      else continue;
      n++;
    }
    return n;
  }
}

/** Ratings given in a channel's own controls (the widget's card): the survey must be of that thread. */
export class ThreadSurveys implements SurveyAnswerPort {
  constructor(private readonly db: Database, private readonly answers: SurveyAnswers) {}

  async rate(o: { surveyId: string; rating: number; inboxId: string; threadKey: string }): Promise<boolean> {
    if (!Number.isInteger(o.rating) || o.rating < 1 || o.rating > 5) return false;
    const { rows } = await this.db.pool.query(
      'SELECT 1 FROM surveys s JOIN conversations c ON c.id = s.conversation_id WHERE s.id = $1 AND c.inbox_id = $2 AND c.thread_key = $3',
      [o.surveyId, o.inboxId, o.threadKey],
    );
    if (!rows.length) return false;
    await this.answers.record(o.surveyId, { rating: o.rating, via: 'widget' });
    return true;
  }
}
