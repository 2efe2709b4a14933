// Sends a stored reply through its channel's connector and records what happened on the
// message: sending → sent/delivered, or failed with the reason, visible to the agent.
import type { Database, DeliveryStatus, Prisma } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import { PermanentJobError, type Job } from '../../platform/queue';
import { ProviderError, errorMessage } from '../../platform/errors';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { ConnectorContext, OutboundMessage } from '../../connectors/types';
import { conversationToken } from '../conversations/reply-token';
import type { InboxEventBus } from '../events';
import type { OutboundJob } from '../queues';
import { loadMessageView } from '../views';

const HISTORY = 20;

export class OutboundDelivery {
  constructor(
    private readonly db: Database,
    private readonly connectors: ConnectorRegistry,
    private readonly ctx: ConnectorContext,
    private readonly events: InboxEventBus,
    private readonly logger: Logger,
    private readonly automaticPerHour = 3,
  ) {}

  async deliver(job: Job<OutboundJob>): Promise<void> {
    const { prisma } = this.db;
    const m = await prisma.message.findUnique({
      where: { id: job.data.messageId },
      include: {
        agent: { select: { id: true, name: true } },
        conversation: { include: { inbox: true, contact: { include: { identities: true } } } },
      },
    });
    // Gone, or already done by an earlier attempt: nothing to send twice.
    if (!m || m.deliveryStatus !== 'queued') return;
    const connector = this.connectors.find(m.conversation.inbox.kind);
    if (!connector) {
      await this.finish(m.id, { deliveryStatus: 'failed', deliveryError: `no connector is installed for channel ${m.conversation.inbox.kind}` });
      throw new PermanentJobError(`no connector for ${m.conversation.inbox.kind}`);
    }
    if (m.senderType === 'system') {
      const refusal = await this.automaticRefusal(m.conversationId, m.conversation.contactId);
      if (refusal) {
        this.logger.info({ messageId: m.id, refusal }, 'automatic message not sent');
        await this.finish(m.id, { deliveryStatus: 'failed', deliveryError: `Not sent: ${refusal}` });
        return;
      }
    }
    const history = await prisma.message.findMany({
      where: { conversationId: m.conversationId, direction: { in: ['inbound', 'outbound'] }, id: { not: m.id } },
      orderBy: { sentAt: 'desc' },
      take: HISTORY,
      select: { direction: true, text: true, externalId: true, sentAt: true, metadata: true, agent: { select: { name: true } }, contact: { select: { name: true } } },
    });
    const c = m.conversation;
    const out: OutboundMessage = {
      message: { id: m.id, text: m.text, html: m.html, subject: m.subject ?? c.subject, automatic: m.senderType === 'system', createdAt: m.createdAt },
      conversation: { id: c.id, reference: c.reference, subject: c.subject, threadKey: c.threadKey, type: c.type, token: conversationToken(c.reference, this.ctx.config.appSecret) },
      inbox: c.inbox,
      contact: { id: c.contact.id, name: c.contact.name, email: c.contact.email, phone: c.contact.phone },
      identities: c.contact.identities.map((i) => ({ kind: i.kind, address: i.address, optedOut: i.optedOut })),
      history: history.reverse().map((h) => ({ direction: h.direction, text: h.text, externalId: h.externalId, sentAt: h.sentAt, metadata: h.metadata, senderName: h.agent?.name ?? h.contact?.name ?? null })),
      agent: m.agent,
    };
    try {
      const result = await connector.send(this.ctx, out);
      const done = { deliveryError: null, metadata: { ...(m.metadata as object), ...result.metadata } as Prisma.InputJsonValue };
      // Sent: whatever happens now must not make the job send it again. The status moves only
      // from queued: a chat visitor may already have read it (the push precedes this write).
      const sent = { status: result.status, ifStill: 'queued' } as const;
      await this.finish(m.id, { ...done, externalId: result.externalId ?? m.externalId }, sent).catch(async (err: unknown) => {
        if ((err as { code?: string }).code !== 'P2002') throw err;
        // The provider's id is already on another message (its echo stored first): keep it aside.
        await this.finish(m.id, { ...done, metadata: { ...(done.metadata as object), providerId: result.externalId } }, sent);
      });
    } catch (err) {
      const permanent = err instanceof PermanentJobError || (err instanceof ProviderError && !err.retryable);
      const last = permanent || job.attempt >= job.maxAttempts;
      this.logger.warn({ err: errorMessage(err), messageId: m.id, attempt: job.attempt, last }, 'sending a reply failed');
      // Still queued while retries remain, with the reason visible to the agent meanwhile.
      await this.finish(m.id, { deliveryStatus: last ? 'failed' : 'queued', deliveryError: errorMessage(err) });
      if (permanent) throw new PermanentJobError(errorMessage(err));
      throw err;
    }
  }

  /**
   * Loop safety for every channel: nothing automatic answers a machine (auto-replies, bulk
   * mail: two robots answering each other forever), and one contact gets a bounded number
   * of automatic messages per hour whatever the rules say.
   */
  private async automaticRefusal(conversationId: string, contactId: string): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ automated: boolean | null; recent: string }>(
      // Both walk the (conversation_id, created_at) index: the newest messages, the last hour's.
      `SELECT (SELECT (m.metadata->>'automated')::boolean FROM messages m WHERE m.conversation_id = $1 AND m.direction = 'inbound' ORDER BY m.created_at DESC LIMIT 1) AS automated,
              (SELECT count(*) FROM conversations c JOIN messages m ON m.conversation_id = c.id AND m.created_at > now() - interval '1 hour'
                WHERE c.contact_id = $2 AND m.sender_type = 'system' AND m.direction = 'outbound'
                  AND m.delivery_status IN ('sending', 'sent', 'delivered', 'read')) AS recent`,
      [conversationId, contactId],
    );
    const r = rows[0]!;
    if (r.automated) return "the customer's last message was sent by a machine (auto-reply or bulk mail); answering it automatically could start a loop";
    if (Number(r.recent) >= this.automaticPerHour) return `this contact already got ${r.recent} automatic messages in the last hour (limit ${this.automaticPerHour})`;
    return null;
  }

  private async finish(id: string, data: Prisma.MessageUpdateInput, status?: { status: DeliveryStatus; ifStill: DeliveryStatus }): Promise<void> {
    await this.db.prisma.$transaction([
      this.db.prisma.message.update({ where: { id }, data, select: { id: true } }),
      ...(status ? [this.db.prisma.message.updateMany({ where: { id, deliveryStatus: status.ifStill }, data: { deliveryStatus: status.status } })] : []),
    ]);
    const m = await loadMessageView(this.db.pool, id);
    this.events.emit({ type: 'message.updated', inboxId: m.inboxId, conversationId: m.conversationId, message: m });
  }
}
