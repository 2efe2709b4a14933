// Everything one routing batch decided, written with set-based statements in the batch's
// transaction: the conversations' new state, activity lines and automatic replies, audit
// rows, labels, agents' last assignment, new outbox events, and the handled outbox events
// deleted. All of it or nothing: a crash before COMMIT leaves the outbox events to be routed
// again from scratch, so every rule fires exactly once.
import type pg from 'pg';
import { SqlParams, together } from '../../platform/db/sql';
import { loadConversationViews, messageView, type ConversationView, type MessageView } from '../views';
import { conversationStateStatement } from '../conversations/state/write';
import type { PlannedMessage, RoutingPlan } from './plan';

const json = (v: unknown) => JSON.stringify(v);

/** Everything routing's actions can change on a conversation (plan.ts). */
const ROUTED_STATE = [
  'status', 'assigneeId', 'teamId', 'priority', 'priorityFloor', 'priorityReason', 'acknowledgedAt', 'escalationLevel', 'escalatedAt',
  'waitingSince', 'snoozedUntil', 'resolvedAt', 'firstResponseDueAt', 'nextResponseDueAt', 'resolutionDueAt',
] as const;

export interface WrittenPlan {
  conversations: ConversationView[];
  messages: MessageView[];
}

/** Writes the plan and reads back the views its events carry (same round trip). */
export async function writePlan(client: pg.PoolClient, plan: RoutingPlan, outbox: Array<{ type: string; conversationId: string; data: Record<string, unknown> }>): Promise<WrittenPlan> {
  const p = new SqlParams();
  const conversations = [...plan.changes.values()].map((c) => c.subject);
  const col = <T>(rows: readonly T[], f: (r: T) => unknown, type: string) => p.column(rows, f, type);
  const labelled = plan.labels;
  const agents = [...plan.agentsAssigned];
  const sql = `
    WITH updated_conversations AS (
      ${conversationStateStatement(p, 'update', { rows: conversations, fields: ROUTED_STATE, others: [{ column: 'message_count', type: 'int[]', value: (s) => s.addedMessages, update: 'c.message_count + v.message_count' }] })}
    ), inserted_messages AS (
      INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, text, delivery_status, metadata, sent_at, created_at)
      SELECT id, conversation_id, inbox_id, direction::"MessageDirection", 'system', text, delivery_status::"DeliveryStatus", metadata, sent_at, sent_at
        FROM unnest(${col(plan.messages, (m) => m.id, 'uuid[]')}, ${col(plan.messages, (m) => m.conversationId, 'uuid[]')},
                    ${col(plan.messages, (m) => m.inboxId, 'uuid[]')}, ${col(plan.messages, (m) => m.direction, 'text[]')},
                    ${col(plan.messages, (m) => m.text, 'text[]')}, ${col(plan.messages, (m) => m.deliveryStatus, 'text[]')},
                    ${col(plan.messages, (m) => json(m.metadata), 'jsonb[]')}, ${col(plan.messages, (m) => m.sentAt, 'timestamptz[]')})
          AS u(id, conversation_id, inbox_id, direction, text, delivery_status, metadata, sent_at)
    ), audit AS (
      INSERT INTO audit_events (type, conversation_id, inbox_id, data)
      SELECT * FROM unnest(${col(plan.audits, (a) => a.type, 'text[]')}, ${col(plan.audits, (a) => a.conversationId, 'uuid[]')},
                           ${col(plan.audits, (a) => a.inboxId, 'uuid[]')}, ${col(plan.audits, (a) => json(a.data), 'jsonb[]')})
    ), labelled AS (
      INSERT INTO conversation_labels (conversation_id, label_id)
      SELECT u.conversation_id, l.id FROM unnest(${col(labelled, (l) => l.conversationId, 'uuid[]')}, ${col(labelled, (l) => l.name, 'text[]')}) AS u(conversation_id, name)
        JOIN labels l ON l.name = u.name
      ON CONFLICT DO NOTHING
    ), agents_assigned AS (
      UPDATE agents a SET last_assigned_at = v.at
        FROM unnest(${col(agents, ([id]) => id, 'uuid[]')}, ${col(agents, ([, at]) => at, 'timestamptz[]')}) AS v(id, at)
       WHERE a.id = v.id
    ), new_events AS (
      INSERT INTO routing_events (type, conversation_id, data)
      SELECT * FROM unnest(${col(outbox, (e) => e.type, 'text[]')}, ${col(outbox, (e) => e.conversationId, 'uuid[]')}, ${col(outbox, (e) => json(e.data), 'jsonb[]')})
    ), handled AS (
      DELETE FROM routing_events WHERE id = ANY(${p.add(plan.handled, 'bigint[]')})
    )
    SELECT 1`;
  const labels = [...new Set(labelled.map((l) => l.name))];
  const [, , views] = await together(
    client,
    // Labels first: the write's join finds them (a later statement sees what an earlier one wrote).
    () => (labels.length ? client.query(`INSERT INTO labels (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`, [labels]) : Promise.resolve(null)),
    () => client.query(sql, p.values),
    () => loadConversationViews(client, conversations.map((s) => s.id)),
  );
  return { conversations: views, messages: plan.messages.map(lineView) };
}

/** A line routing wrote, as the API shows it (a system line: no sender, signals or attachments). */
function lineView(m: PlannedMessage): MessageView {
  return messageView({
    id: m.id, conversationId: m.conversationId, inboxId: m.inboxId, direction: m.direction, senderType: 'system', agentId: null, agentName: null,
    contactId: null, contactName: null, text: m.text, html: null, subject: null, externalId: null, threadReason: null, deliveryStatus: m.deliveryStatus,
    deliveryError: null, metadata: m.metadata, sentAt: m.sentAt, createdAt: m.sentAt, signals: null, attachments: [],
  });
}
