// The updates of resolved incidents: each linked customer gets one message on their own channel
// (the linked conversation's: an email thread, an SMS, the chat widget, a reply to their post
// on X), in their language. Exactly once, whoever sends it and however often the worker dies:
// a link is claimed in the transaction that writes its message (a queued reply, which the
// sweeper re-queues if the worker dies before queueing it), and a second worker's claim of the
// same link rolls its message back. One update per customer: their other linked conversations
// are marked "updated in #…". Nothing goes to a customer who refused automatic messages on that
// channel or everything, and the pace is bounded (INCIDENT_UPDATES_PER_MINUTE per worker), so a
// thousand linked customers do not hit a provider's rate limit at once; the delivery's own
// limit of automatic messages per contact and hour applies as to any automatic message.
import { queryableOf, type Database } from '../../platform/db/client';
import type { Queryable } from '../../platform/db/sql';
import type { Logger } from '../../platform/logger';
import { consentRefusal } from '../contacts/consent';
import type { Replies } from '../messages/reply';
import { incidentUpdateText } from './messages';

/** Thrown inside the claim's transaction when another worker updated this link (or customer) first. */
class AlreadyUpdated extends Error {}

export interface IncidentUpdatesOptions {
  db: Database;
  replies: Replies;
  logger: Logger;
  /** Updates one sweep sends at most (the pace: per minute × sweep interval). */
  perSweep: number;
}

interface PendingLink {
  incidentId: string;
  conversationId: string;
  reference: number;
  contactId: string;
  channel: string;
  name: string | null;
  language: string | null;
  messageLanguage: string | null;
  doNotContact: boolean;
  erased: boolean;
  identities: Array<{ kind: string; address: string; optedOut: boolean; unsubscribed: string[] }>;
  title: string;
  description: string | null;
  updateTexts: Record<string, string>;
}

export class IncidentUpdates {
  constructor(private readonly o: IncidentUpdatesOptions) {}

  /** Sends (or skips, with the reason) up to perSweep pending updates; answers what it did. */
  async sweep(): Promise<{ sent: number; skipped: number }> {
    const { rows } = await this.o.db.pool.query<PendingLink>(
      `SELECT l.incident_id AS "incidentId", l.conversation_id AS "conversationId", c.reference, c.contact_id AS "contactId", ib.kind::text AS channel,
              ct.name, ct.language, c.language AS "messageLanguage", ct.do_not_contact AS "doNotContact", ct.erased_at IS NOT NULL AS erased,
              COALESCE((SELECT json_agg(json_build_object('kind', ci.kind, 'address', ci.address, 'optedOut', ci.opted_out, 'unsubscribed', ci.unsubscribed)) FROM contact_identities ci WHERE ci.contact_id = c.contact_id), '[]') AS identities,
              i.title, i.description, i.update_texts AS "updateTexts"
         FROM incidents i
         JOIN incident_links l ON l.incident_id = i.id AND l.notified_at IS NULL
         JOIN conversations c ON c.id = l.conversation_id
         JOIN inboxes ib ON ib.id = c.inbox_id
         JOIN contacts ct ON ct.id = c.contact_id
        WHERE i.status = 'resolved' AND i.notify
        ORDER BY i.resolved_at, l.linked_at
        LIMIT $1`,
      [this.o.perSweep],
    );
    let sent = 0;
    let skipped = 0;
    for (const link of rows) {
      try {
        if (await this.updateOne(link)) sent++;
        else skipped++;
      } catch (err) {
        if (err instanceof AlreadyUpdated) continue;
        this.o.logger.warn({ err, incidentId: link.incidentId, conversationId: link.conversationId }, 'incident update not sent; tried again on the next sweep');
      }
    }
    if (sent || skipped) this.o.logger.info({ sent, skipped, pending: rows.length - sent - skipped }, 'incident updates');
    return { sent, skipped };
  }

  /** True when a message was written, false when skipped. */
  private async updateOne(link: PendingLink): Promise<boolean> {
    const why = this.refusal(link) ?? (await updatedElsewhere(this.o.db.pool, link));
    if (why) {
      await this.o.db.pool.query(
        `UPDATE incident_links SET notified_at = now(), skipped_reason = $3 WHERE incident_id = $1 AND conversation_id = $2 AND notified_at IS NULL`,
        [link.incidentId, link.conversationId, why],
      );
      return false;
    }
    const text = incidentUpdateText({ title: link.title, description: link.description, texts: link.updateTexts, language: link.language, messageLanguage: link.messageLanguage });
    await this.o.replies.automatic(
      link.conversationId,
      { text, reason: `incident "${link.title}" resolved`, metadata: { purpose: 'automatic', incident: { id: link.incidentId } } },
      async (tx, messageId) => {
        // One customer at a time per incident: two workers never update one person twice through two of their conversations.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${link.incidentId}/${link.contactId}`}))`;
        if (await updatedElsewhere(queryableOf(tx), link)) throw new AlreadyUpdated();
        const claimed = await tx.$executeRaw`
          UPDATE incident_links SET notified_at = now(), update_message_id = ${messageId}::uuid
           WHERE incident_id = ${link.incidentId}::uuid AND conversation_id = ${link.conversationId}::uuid AND notified_at IS NULL`;
        if (claimed !== 1) throw new AlreadyUpdated();
      },
    );
    return true;
  }

  private refusal(link: PendingLink): string | null {
    if (link.erased) return 'the contact was erased';
    if (link.doNotContact) return 'do not contact';
    return consentRefusal(link.identities, link.channel, 'automatic');
  }
}

/** Why not: the customer's update went through another of their linked conversations (null: it did not). */
async function updatedElsewhere(db: Queryable, link: Pick<PendingLink, 'incidentId' | 'contactId'>): Promise<string | null> {
  const { rows } = await db.query<{ reference: number }>(
    `SELECT c.reference FROM incident_links l JOIN conversations c ON c.id = l.conversation_id
      WHERE l.incident_id = $1 AND c.contact_id = $2 AND l.update_message_id IS NOT NULL LIMIT 1`,
    [link.incidentId, link.contactId],
  );
  return rows[0] ? `the customer was updated in #${rows[0].reference}` : null;
}
