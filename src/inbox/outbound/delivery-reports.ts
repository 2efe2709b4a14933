// A provider's later word on something we sent: a bounce for an email, a status callback
// for an SMS. Found by the provider's id for the message; never moves a status backwards
// (a late "sent" after "delivered"), except that a failure always shows.
import type { Database } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import type { InboxEventBus } from '../events';
import type { DeliveryReportPort, ReportedStatus } from '../channels/contract';
import { loadMessageView } from '../views';


const RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4 };

export class DeliveryReports implements DeliveryReportPort {
  constructor(
    private readonly db: Database,
    private readonly events: InboxEventBus,
    private readonly logger: Logger,
  ) {}

  /** Records the report on our outbound message with this external id; answers its id, or null when none matches. */
  async report(inboxId: string, externalId: string, status: ReportedStatus, error?: string): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ id: string; delivery_status: string | null }>(
      `SELECT id, delivery_status::text FROM messages WHERE inbox_id = $1 AND external_id = $2 AND direction = 'outbound'`,
      [inboxId, externalId],
    );
    return rows[0] ? this.record(rows[0], status, error) : null;
  }

  /**
   * The provider is still trying (an email's "Action: delayed"): the note is kept on the
   * message for the agent and its status stays; a later delivery or failure clears it.
   */
  async delayed(inboxId: string, externalId: string, note: string): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ id: string }>(
      `UPDATE messages SET metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{deliveryNote}', to_jsonb($3::text))
        WHERE inbox_id = $1 AND external_id = $2 AND direction = 'outbound' AND (delivery_status IS NULL OR delivery_status IN ('queued', 'sending', 'sent'))
        RETURNING id`,
      [inboxId, externalId, note],
    );
    if (!rows[0]) return null;
    this.logger.info({ messageId: rows[0].id, note }, 'delivery delayed');
    await this.updated(rows[0].id);
    return rows[0].id;
  }

  /** The same for a message we know by our own id (a chat visitor read it in front of us). */
  async reportMessage(messageId: string, status: ReportedStatus): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ id: string; delivery_status: string | null }>(
      `SELECT id, delivery_status::text FROM messages WHERE id = $1 AND direction = 'outbound'`,
      [messageId],
    );
    return rows[0] ? this.record(rows[0], status) : null;
  }

  /**
   * The customer read our replies of a thread up to this one. They can read a reply before its
   * delivery is recorded (the push comes first): the one they name counts even while still
   * queued; earlier ones once they were sent.
   */
  async readUpTo(inboxId: string, threadKey: string, messageId: string): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ id: string; delivery_status: string | null }>(
      `SELECT m.id, m.delivery_status::text FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.inbox_id = $1 AND c.thread_key = $2 AND m.direction = 'outbound'
          AND (m.id = $3 AND m.delivery_status IN ('queued', 'sent', 'delivered')
               OR m.delivery_status IN ('sent', 'delivered') AND m.sent_at <= (SELECT sent_at FROM messages WHERE id = $3))
        LIMIT 50`,
      [inboxId, threadKey, messageId],
    );
    const read: string[] = [];
    for (const m of rows) read.push(await this.record(m, 'read'));
    return read;
  }

  private async record(m: { id: string; delivery_status: string | null }, status: ReportedStatus, error?: string): Promise<string> {
    const forward = status === 'failed' || (RANK[status] ?? 0) > (RANK[m.delivery_status ?? ''] ?? -1);
    if (!forward) return m.id;
    await this.db.pool.query(
      `UPDATE messages SET delivery_status = $2::"DeliveryStatus", delivery_error = $3, metadata = metadata - 'deliveryNote' WHERE id = $1`,
      [m.id, status, status === 'failed' ? (error ?? 'the provider reported a failure') : null],
    );
    this.logger.info({ messageId: m.id, status, error }, 'delivery report recorded');
    await this.updated(m.id);
    return m.id;
  }

  private async updated(messageId: string): Promise<void> {
    const view = await loadMessageView(this.db.pool, messageId);
    this.events.emit({ type: 'message.updated', inboxId: view.inboxId, conversationId: view.conversationId, message: view });
  }
}
