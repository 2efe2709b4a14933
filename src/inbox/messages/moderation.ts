// Hiding an abusive comment under the brand's post (and showing it again): on the platform
// first — only what the platform did is recorded — then on the message (hidden, when, by whom),
// so the agents see it hidden and nothing of ours shows it again; the activity says who did it.
import type { Database } from '../../platform/db/client';
import { NotFoundError, ValidationError } from '../../platform/errors';
import type { ConnectorRegistry } from '../channels/registry';
import type { ConnectorContext } from '../channels/contract';
import { actorLabel, type Actor, type ConversationActions } from '../conversations/actions';
import type { InboxEventBus } from '../events';
import { loadMessageView, type MessageView } from '../views';

export async function setCommentHidden(
  s: { db: Database; connectors: ConnectorRegistry; connectorContext: ConnectorContext; actions: ConversationActions; events: InboxEventBus },
  actor: Actor & { type: 'agent' },
  conversationId: string,
  messageId: string,
  hidden: boolean,
): Promise<MessageView> {
  const m = await s.db.prisma.message.findFirst({
    where: { id: messageId, conversationId },
    select: { id: true, direction: true, externalId: true, conversation: { select: { type: true, inbox: true } } },
  });
  if (!m) throw new NotFoundError('Message in this conversation');
  const connector = s.connectors.find(m.conversation.inbox.kind);
  if (m.conversation.type !== 'mention' || m.direction !== 'inbound' || !m.externalId || !connector?.moderate) {
    throw new ValidationError('Only a customer\'s public comment on a channel that can hide comments (Messenger, Instagram) can be hidden', [{ path: 'messageId', message: 'not a hideable comment' }]);
  }
  await connector.moderate(s.connectorContext, m.conversation.inbox, { externalId: m.externalId, hidden });
  await s.db.pool.query(
    `UPDATE messages SET metadata = metadata || jsonb_build_object('hidden', $2::boolean, 'hiddenAt', CASE WHEN $2 THEN to_jsonb(now()) ELSE 'null'::jsonb END, 'hiddenBy', CASE WHEN $2 THEN to_jsonb($3::text) ELSE 'null'::jsonb END) WHERE id = $1`,
    [m.id, hidden, actor.name],
  );
  await s.actions.record(actor, conversationId, { text: `Comment ${hidden ? 'hidden' : 'shown again'} on ${m.conversation.inbox.kind === 'instagram' ? 'Instagram' : 'Facebook'} by ${actorLabel(actor)}`, kind: 'moderated', data: { messageId, hidden } });
  const view = await loadMessageView(s.db.pool, m.id);
  s.events.emit({ type: 'message.updated', inboxId: view.inboxId, conversationId, message: view });
  return view;
}
