// The public → private bridge: a community manager links a public mention to the same
// customer's private conversation. The two customers become one contact (the mention's
// identities join the private conversation's contact), each conversation points at the
// other, the private one is raised for public exposure, and a short holding answer can go
// out publicly ("we've sent you a DM").
import type { Database } from '../../platform/db/client';
import { raisePriorityFloor } from '../../routing/priority';
import { ValidationError } from '../../platform/errors';
import { withTransaction } from '../../platform/db/sql';
import type { Actor, ConversationActions } from './actions';
import type { Replies } from '../messages/reply';

/** The floor a linked private conversation gets: a public complaint is watching. */
export const PUBLIC_EXPOSURE_FLOOR = 60;

export async function linkMention(
  s: { db: Database; actions: ConversationActions; replies: Replies },
  actor: Actor & { type: 'agent' },
  mentionId: string,
  privateId: string,
  holdingReply?: string,
): Promise<void> {
  const [mention, direct] = await Promise.all([mentionId, privateId].map((id) => s.db.prisma.conversation.findUniqueOrThrow({ where: { id }, select: { id: true, type: true, contactId: true, reference: true, priorityFloor: true, priority: true, waitingSince: true, priorityReason: true } })));
  if (mention!.type !== 'mention') throw new ValidationError('The first conversation must be a public mention', [{ path: 'id', message: 'not a mention' }]);
  if (direct!.type !== 'direct') throw new ValidationError('Link a mention to a private conversation (email, chat, SMS, DM)', [{ path: 'conversationId', message: 'not a private conversation' }]);
  // Now if the customer is waiting; the floor holds whenever they write next.
  const raised = raisePriorityFloor(direct!, PUBLIC_EXPOSURE_FLOOR, `public mention #${mention!.reference}`, 'exposure');
  await withTransaction(s.db.pool, async (client) => {
    if (mention!.contactId !== direct!.contactId) {
      // One person: everything of the mention's contact moves to the private one's.
      const [from, to] = [mention!.contactId, direct!.contactId];
      await client.query('UPDATE contact_identities SET contact_id = $2 WHERE contact_id = $1', [from, to]);
      await client.query('UPDATE conversations SET contact_id = $2 WHERE contact_id = $1', [from, to]);
      await client.query('UPDATE messages SET contact_id = $2 WHERE contact_id = $1', [from, to]);
      await client.query(
        `UPDATE contacts t SET name = COALESCE(t.name, f.name), email = COALESCE(t.email, f.email), phone = COALESCE(t.phone, f.phone), updated_at = now() FROM contacts f WHERE t.id = $2 AND f.id = $1`,
        [from, to],
      );
      await client.query('DELETE FROM contacts WHERE id = $1', [from]);
    }
    await client.query('UPDATE conversations SET linked_conversation_id = CASE id WHEN $1::uuid THEN $2::uuid ELSE $1::uuid END WHERE id IN ($1, $2)', [mentionId, privateId]);
  });
  await s.actions.record(actor, mentionId, { text: `Linked to the customer's private conversation #${direct!.reference}`, kind: 'linked', data: { conversationId: privateId } }, {}, ['linkedConversationId']);
  await s.actions.record(
    actor,
    privateId,
    { text: `Linked to public mention #${mention!.reference}: priority raised for public exposure`, kind: 'linked', data: { conversationId: mentionId } },
    raised ?? {},
    ['linkedConversationId', 'priority'],
  );
  if (holdingReply) await s.replies.fromAgent(actor.id, mentionId, { text: holdingReply });
}
