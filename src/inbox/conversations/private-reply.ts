// Answering a public comment privately (Messenger and Instagram's private reply): the reply
// goes to the commenter as a direct message — in the customer's DM conversation of the inbox
// when there is one, else in a new one, which takes the DM thread the platform opens (its key
// comes back with the send) — and the comment's conversation and the DM are linked like the
// X bridge (one contact, each points at the other, the private one raised for exposure).
// A comment gets one private reply (the platforms allow one): a second is refused with 409,
// unless the platform refused the first (its reason is on that message).
import crypto from 'node:crypto';
import type { Database } from '../../platform/db/client';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors';
import { withTransaction } from '../../platform/db/sql';
import type { ConnectorRegistry } from '../channels/registry';
import type { InboxEventBus } from '../events';
import type { Replies } from '../messages/reply';
import { loadConversationView, type ConversationView, type MessageView } from '../views';
import type { Actor, ConversationActions } from './actions';
import { linkMention } from './link';
import { writeConversationState } from './state/write';

export async function replyPrivately(
  s: { db: Database; actions: ConversationActions; replies: Replies; events: InboxEventBus; connectors: ConnectorRegistry },
  actor: Actor & { type: 'agent' },
  mentionId: string,
  input: { text: string; messageId?: string },
): Promise<{ conversation: ConversationView; message: MessageView }> {
  const mention = await s.db.prisma.conversation.findUniqueOrThrow({ where: { id: mentionId }, select: { id: true, type: true, inboxId: true, contactId: true, teamId: true, inbox: { select: { kind: true } } } });
  if (mention.type !== 'mention') throw new ValidationError('Only a public comment can be answered privately', [{ path: 'id', message: 'not a public conversation' }]);
  if (!s.connectors.find(mention.inbox.kind)?.canReplyPrivately) throw new ValidationError(`A ${mention.inbox.kind} comment cannot be answered privately: link it to a private conversation instead`, [{ path: 'id', message: 'no private reply on this channel' }]);
  const comment = await s.db.prisma.message.findFirst({
    where: { conversationId: mentionId, direction: 'inbound', externalId: { not: null }, ...(input.messageId ? { id: input.messageId } : {}) },
    orderBy: { createdAt: 'desc' },
    select: { id: true, externalId: true, metadata: true },
  });
  if (!comment) throw new NotFoundError(input.messageId ? 'Comment in this conversation' : 'Comment to answer');
  const before = (comment.metadata ?? {}) as { privateReply?: { conversationId?: string } };
  // One per comment; a try the platform refused (its reason on the message) may be made again.
  const { rows: lastTry } = await s.db.pool.query<{ failed: boolean }>(
    `SELECT delivery_status = 'failed' AS failed FROM messages WHERE inbox_id = $1 AND metadata->>'privateReplyTo' = $2 ORDER BY created_at DESC LIMIT 1`,
    [mention.inboxId, comment.externalId],
  );
  const refusedBefore = lastTry[0]?.failed === true;
  if (before.privateReply && !refusedBefore) throw new AppError(409, 'already_answered', 'This comment was already answered privately (the platform allows one private reply per comment)', before.privateReply);

  const target = await withTransaction(s.db.pool, async (client) => {
    // Claim the comment first: two agents clicking at once send one private reply.
    const claimed = await client.query(
      `UPDATE messages SET metadata = metadata || jsonb_build_object('privateReply', jsonb_build_object('at', now())) WHERE id = $1 AND (NOT metadata ? 'privateReply' OR $2::boolean)`,
      [comment.id, refusedBefore],
    );
    if (!claimed.rowCount) throw new AppError(409, 'already_answered', 'This comment was already answered privately');
    const existing = await client.query<{ id: string }>(
      `SELECT id FROM conversations WHERE inbox_id = $1 AND contact_id = $2 AND type = 'direct' ORDER BY (status <> 'resolved') DESC, last_message_at DESC NULLS LAST LIMIT 1`,
      [mention.inboxId, mention.contactId],
    );
    const id = existing.rows[0]?.id ?? crypto.randomUUID();
    if (!existing.rows[0]) {
      await writeConversationState(client, 'insert', {
        rows: [{ id, status: 'open' as const, assigneeId: actor.id, teamId: mention.teamId }],
        fields: ['status', 'assigneeId', 'teamId'],
        others: [
          { column: 'inbox_id', type: 'uuid[]', value: () => mention.inboxId },
          { column: 'contact_id', type: 'uuid[]', value: () => mention.contactId },
          // Until the platform names the DM thread (the send answers it).
          { column: 'thread_key', type: 'text[]', value: () => `private-reply:${comment.externalId}` },
        ],
      });
      await client.query(`INSERT INTO audit_events (type, conversation_id, inbox_id, agent_id, data) VALUES ('conversation.started', $1, $2, $3, $4)`, [id, mention.inboxId, actor.id, JSON.stringify({ privateReplyTo: comment.externalId })]);
    }
    await client.query(`UPDATE messages SET metadata = jsonb_set(metadata, '{privateReply}', metadata->'privateReply' || jsonb_build_object('conversationId', $2::text)) WHERE id = $1`, [comment.id, id]);
    return { id, created: !existing.rows[0] };
  });
  if (target.created) s.events.emit({ type: 'conversation.created', inboxId: mention.inboxId, conversation: await loadConversationView(s.db.pool, target.id) });
  const message = await s.replies.fromAgent(actor.id, target.id, { text: input.text, metadata: { privateReplyTo: comment.externalId } });
  await linkMention(s, actor, mentionId, target.id);
  return { conversation: await loadConversationView(s.db.pool, target.id), message };
}
