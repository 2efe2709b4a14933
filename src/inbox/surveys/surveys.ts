// Satisfaction surveys and recovery follow-ups. The worker's sweep (every 30 s) schedules one
// satisfaction survey per resolved conversation (SURVEY_DELAY_MINUTES after the resolve) and one
// follow-up per resolved complaint with an approved remedy (FOLLOW_UP_DAYS after), moves resolved
// complaint cases to "resolved", and sends what is due on the customer's own channel — unless
// they refused surveys (or everything) on it, the conversation was automated mail or spam, they
// were surveyed in the last SURVEY_QUIET_DAYS, or the conversation was reopened. Scheduling reads
// the rows, so no resolve is missed by a restart; a survey is marked sent before its message is
// written, so none goes twice. Answers (answer.ts) come from the survey page, the chat widget's
// rating card or a reply of 1–5.
import type { Database, SurveyKind } from '../../platform/db/client';
import type { AppConfig } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import { consentRefusal } from '../contacts/consent';
import { setComplaintStage } from '../complaints/cases';
import type { ConversationActions } from '../conversations/actions';
import type { Replies } from '../messages/reply';
import { surveyMessage } from './messages';
import { surveyToken } from './token';

const SYSTEM = { type: 'system', name: 'Recovery' } as const;

export interface SurveyServices {
  db: Database;
  config: AppConfig;
  logger: Logger;
  replies: Replies;
  actions: ConversationActions;
  publicUrl: () => string;
  now?: () => Date;
}

export class Surveys {
  private readonly now: () => Date;

  constructor(private readonly s: SurveyServices) {
    this.now = s.now ?? (() => new Date());
  }

  /** One sweep: schedule, move resolved cases, send what is due. Answers how many were sent and suppressed. */
  async sweep(): Promise<{ scheduled: number; sent: number; suppressed: number }> {
    const scheduled = await this.schedule();
    await this.resolveCases();
    const { sent, suppressed } = await this.sendDue();
    return { scheduled, sent, suppressed };
  }

  /** Survey rows for conversations resolved in the last day (and follow-ups for remedied complaints). */
  private async schedule(): Promise<number> {
    const now = this.now();
    const since = new Date(now.getTime() - 86_400_000);
    const delay = this.s.config.SURVEY_DELAY_MINUTES * 60_000;
    const followUp = this.s.config.FOLLOW_UP_DAYS * 86_400_000;
    const { rowCount: a } = await this.s.db.pool.query(
      `INSERT INTO surveys (conversation_id, kind, due_at, contact_id, agent_id, team_id, channel, complaint_category, complaint)
       SELECT c.id, 'satisfaction', c.resolved_at + $2 * interval '1 millisecond', c.contact_id, c.assignee_id, c.team_id, i.kind::text, c.complaint_category, c.complaint_stage IS NOT NULL
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
        WHERE c.status = 'resolved' AND c.resolved_at >= $1 AND c.type = 'direct'
       ON CONFLICT (conversation_id, kind) DO NOTHING`,
      [since, delay],
    );
    const { rowCount: b } = await this.s.db.pool.query(
      `INSERT INTO surveys (conversation_id, kind, due_at, contact_id, agent_id, team_id, channel, complaint_category, complaint)
       SELECT c.id, 'follow_up', c.resolved_at + $2 * interval '1 millisecond', c.contact_id, c.assignee_id, c.team_id, i.kind::text, c.complaint_category, true
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
        WHERE c.status = 'resolved' AND c.resolved_at >= $1 AND c.complaint_stage = 'remedied'
          AND EXISTS (SELECT 1 FROM remedies r WHERE r.conversation_id = c.id AND r.status = 'approved')
       ON CONFLICT (conversation_id, kind) DO NOTHING`,
      [since, followUp],
    );
    return (a ?? 0) + (b ?? 0);
  }

  /** A resolved conversation's open complaint case is resolved too. */
  private async resolveCases(): Promise<void> {
    const { rows } = await this.s.db.pool.query<{ id: string }>(
      `SELECT id FROM conversations WHERE status = 'resolved' AND resolved_at >= $1 AND complaint_stage IN ('acknowledged', 'investigating') LIMIT 200`,
      [new Date(this.now().getTime() - 86_400_000)],
    );
    for (const r of rows) await setComplaintStage(this.s.actions, SYSTEM, r.id, 'resolved');
  }

  private async sendDue(): Promise<{ sent: number; suppressed: number }> {
    const now = this.now();
    const { rows } = await this.s.db.pool.query<DueSurvey>(
      `SELECT s.id, s.kind, s.conversation_id AS "conversationId", s.contact_id AS "contactId", s.channel, c.status::text AS status, c.reference,
              ct.name, ct.language, ct.do_not_contact AS "doNotContact",
              COALESCE((SELECT json_agg(json_build_object('kind', ci.kind, 'address', ci.address, 'optedOut', ci.opted_out, 'unsubscribed', ci.unsubscribed)) FROM contact_identities ci WHERE ci.contact_id = s.contact_id), '[]') AS identities,
              EXISTS (SELECT 1 FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = c.id AND l.name = 'spam') AS spam,
              EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' AND (m.metadata->>'automated')::boolean) AS automated,
              EXISTS (SELECT 1 FROM surveys o WHERE o.contact_id = s.contact_id AND o.id <> s.id AND o.kind = 'satisfaction' AND o.sent_at >= $2) AS "surveyedRecently"
         FROM surveys s JOIN conversations c ON c.id = s.conversation_id JOIN contacts ct ON ct.id = s.contact_id
        WHERE s.status = 'scheduled' AND s.due_at <= $1 ORDER BY s.due_at LIMIT 100`,
      [now, new Date(now.getTime() - this.s.config.SURVEY_QUIET_DAYS * 86_400_000)],
    );
    let sent = 0;
    let suppressed = 0;
    for (const d of rows) {
      const why = this.suppression(d);
      if (why) {
        await this.s.db.pool.query(`UPDATE surveys SET status = 'suppressed', suppressed_reason = $2 WHERE id = $1 AND status = 'scheduled'`, [d.id, why]);
        suppressed++;
        continue;
      }
      // Claimed before the message is written: a crash in between loses one survey, never sends two.
      const claimed = await this.s.db.pool.query(`UPDATE surveys SET status = 'sent', sent_at = $2 WHERE id = $1 AND status = 'scheduled'`, [d.id, now]);
      if (!claimed.rowCount) continue;
      try {
        const token = surveyToken(d.id, this.s.config.appSecret);
        const message = surveyMessage({ kind: d.kind, channel: d.channel, reference: d.reference, name: d.name, language: d.language, url: `${this.s.publicUrl().replace(/\/$/, '')}/survey/${token}` });
        const view = await this.s.replies.automatic(d.conversationId, {
          text: message.text,
          html: message.html,
          reason: d.kind === 'follow_up' ? 'recovery follow-up' : 'satisfaction survey',
          metadata: { purpose: 'surveys', survey: { id: d.id, kind: d.kind, token } },
        });
        await this.s.db.pool.query('UPDATE surveys SET message_id = $2 WHERE id = $1', [d.id, view.id]);
        if (d.kind === 'follow_up') await setComplaintStage(this.s.actions, SYSTEM, d.conversationId, 'followed_up');
        sent++;
      } catch (err) {
        this.s.logger.warn({ err, surveyId: d.id }, 'survey not sent');
        await this.s.db.pool.query(`UPDATE surveys SET status = 'failed', suppressed_reason = $2 WHERE id = $1`, [d.id, String((err as Error).message ?? err).slice(0, 300)]);
      }
    }
    if (sent || suppressed) this.s.logger.info({ sent, suppressed }, 'surveys');
    return { sent, suppressed };
  }

  private suppression(d: DueSurvey): string | null {
    if (d.status !== 'resolved') return 'reopened before it was due';
    if (d.doNotContact) return 'do not contact';
    const refused = consentRefusal(d.identities, d.channel, 'surveys');
    if (refused) return refused;
    if (d.spam) return 'spam';
    if (d.automated) return 'automated mail';
    if (d.kind === 'satisfaction' && d.surveyedRecently) return `surveyed in the last ${this.s.config.SURVEY_QUIET_DAYS} days`;
    return null;
  }
}

interface DueSurvey {
  id: string;
  kind: SurveyKind;
  conversationId: string;
  contactId: string;
  channel: string;
  status: string;
  reference: number;
  name: string | null;
  language: string | null;
  doNotContact: boolean;
  identities: Array<{ kind: string; address: string; optedOut: boolean; unsubscribed: string[] }>;
  spam: boolean;
  automated: boolean;
  surveyedRecently: boolean;
}
