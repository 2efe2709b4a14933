// An agent writes first: a new conversation with a customer (an email to someone who has
// not written yet, a follow-up). The contact is found or created by address, the
// conversation opened in the inbox, and the first message sent like any reply, so the
// customer's answer threads back by its In-Reply-To or the reply token.
import crypto from 'node:crypto';
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import type { InboxEventBus } from '../events';
import { resolveContacts } from '../contacts/resolve';
import type { Replies } from '../messages/reply';
import { loadConversationView, type ConversationView } from '../views';
import { writeConversationState } from './state/write';
import type { MessageView } from '../views';

export interface StartInput {
  inboxId: string;
  teamId: string | null;
  to: { email?: string; phone?: string; name?: string };
  subject?: string;
  text: string;
  html?: string;
}

export async function startConversation(
  s: { db: Database; events: InboxEventBus; replies: Replies },
  agentId: string,
  input: StartInput,
): Promise<{ conversation: ConversationView; message: MessageView }> {
  const identities = [
    ...(input.to.email ? [{ kind: 'email' as const, address: input.to.email }] : []),
    ...(input.to.phone ? [{ kind: 'phone' as const, address: input.to.phone }] : []),
  ];
  const conversationId = await withTransaction(s.db.pool, async (client) => {
    const contacts = await resolveContacts(client, [{ name: input.to.name, identities }]);
    const conversation = { id: crypto.randomUUID(), status: 'open' as const, assigneeId: agentId, teamId: input.teamId, inboxId: input.inboxId, contactId: contacts.ids[0]! };
    await writeConversationState(client, 'insert', {
      rows: [conversation],
      fields: ['status', 'assigneeId', 'teamId'],
      others: [
        { column: 'inbox_id', type: 'uuid[]', value: (c) => c.inboxId },
        { column: 'contact_id', type: 'uuid[]', value: (c) => c.contactId },
        { column: 'subject', type: 'text[]', value: () => input.subject ?? null },
      ],
    });
    await client.query(`INSERT INTO audit_events (type, conversation_id, inbox_id, agent_id, data) VALUES ('conversation.started', $1, $2, $3, '{}')`, [conversation.id, input.inboxId, agentId]);
    return conversation.id;
  });
  const created = await loadConversationView(s.db.pool, conversationId);
  s.events.emit({ type: 'conversation.created', inboxId: input.inboxId, conversation: created });
  const message = await s.replies.fromAgent(agentId, conversationId, { text: input.text, html: input.html });
  return { conversation: await loadConversationView(s.db.pool, conversationId), message };
}
