// Everything one pipeline batch writes, as one statement: data-modifying CTEs for new and
// updated conversations, messages, signals, attachments, receipts and the audit log. One
// round trip however many messages, and all of it or nothing.
import { SqlParams, type Queryable } from '../../platform/db/sql';
import type { MessageSignals } from '../../sentiment';
import type { InboundMessage } from './inbound-message';
import type { ConversationState } from './conversation-state';

export interface MessageRow {
  id: string;
  conversationId: string;
  inboxId: string;
  inbound: boolean;
  contactId: string;
  message: InboundMessage;
  html: string | null;
  threadReason: string;
  sentAt: Date;
  createdAt: Date;
  signals: MessageSignals | null;
  attachmentIds: string[];
}

export interface BatchWrite {
  conversations: ConversationState[];
  messages: MessageRow[];
  /** Receipts finished by this batch and the message each became. */
  receipts: Array<{ receiptId: string; messageId: string }>;
  /** Why each opened conversation was opened (new, reopened...). */
  openReasons: Map<string, string>;
  /** Routing listens to customer messages: write their outbox rows (none when no rule would read them). */
  routed?: boolean;
}

/** Thrown when a message of the batch was already stored (same inbox and external id). */
export class AlreadyStored extends Error {
  constructor(readonly messageIds: string[]) {
    super(`${messageIds.length} message(s) of the batch were already stored`);
  }
}

const json = (v: unknown) => JSON.stringify(v);

export async function writeBatch(db: Queryable, w: BatchWrite): Promise<void> {
  const p = new SqlParams();
  const col = <T>(rows: T[], f: (r: T) => unknown, type: string) => p.column(rows, f, type);
  const created = w.conversations.filter((c) => c.isNew);
  const updated = w.conversations.filter((c) => !c.isNew);
  const conversationColumns = (rows: ConversationState[]) => [
    col(rows, (s) => s.id, 'uuid[]'), col(rows, (s) => s.status, 'text[]'), col(rows, (s) => s.priority, 'int[]'),
    col(rows, (s) => json(s.priorityReason ?? {}), 'jsonb[]'), col(rows, (s) => s.lastMessagePreview, 'text[]'), col(rows, (s) => s.addedMessages, 'int[]'),
    col(rows, (s) => s.sentimentScore, 'float8[]'), col(rows, (s) => s.sentimentLabel, 'text[]'), col(rows, (s) => s.complaintCategory, 'text[]'),
    col(rows, (s) => s.escalationRisk, 'float8[]'), col(rows, (s) => `{${s.sentimentSeries.join(',')}}`, 'text[]'), col(rows, (s) => s.sentimentSlope, 'float8[]'),
    col(rows, (s) => s.lastMessageAt, 'timestamptz[]'), col(rows, (s) => s.lastInboundAt, 'timestamptz[]'),
    col(rows, (s) => s.waitingSince, 'timestamptz[]'), col(rows, (s) => s.firstResponseAt, 'timestamptz[]'),
    col(rows, (s) => s.firstResponseDueAt, 'timestamptz[]'), col(rows, (s) => s.nextResponseDueAt, 'timestamptz[]'),
    col(rows, (s) => s.resolutionDueAt, 'timestamptz[]'), col(rows, (s) => s.slaPolicyId, 'uuid[]'), col(rows, (s) => s.language, 'text[]'),
  ].join(', ');
  const stateNames = `id, status, priority, priority_reason, preview, added, sentiment_score, sentiment_label, complaint_category, escalation_risk,
                      sentiment_series, sentiment_slope, last_message_at, last_inbound_at, waiting_since, first_response_at,
                      first_response_due_at, next_response_due_at, resolution_due_at, sla_policy_id, language`;
  const scored = w.messages.filter((m) => m.signals);
  const sig = <R>(f: (s: MessageSignals) => R, type: string) => col(scored, (m) => f(m.signals!), type);
  const attachments = w.messages.flatMap((m) => m.message.attachments.map((a, i) => ({ id: m.attachmentIds[i]!, messageId: m.id, ...a })));
  const opened = w.conversations.filter((c) => c.opened);
  // Routing reacts to customers' messages (src/inbox/routing); the outbox row commits with them.
  const routed = w.routed ? w.messages.filter((m) => m.inbound) : [];
  const stateOf = new Map(w.conversations.map((c) => [c.id, c]));

  const sql = `
    WITH new_conversations AS (
      INSERT INTO conversations (id, status, priority, priority_reason, last_message_preview, message_count, sentiment_score, sentiment_label,
          complaint_category, escalation_risk, sentiment_series, sentiment_slope, last_message_at, last_inbound_at, waiting_since, first_response_at,
          first_response_due_at, next_response_due_at, resolution_due_at, sla_policy_id, language,
          inbox_id, contact_id, type, team_id, subject, thread_key, created_at, updated_at)
      SELECT id, status::"ConversationStatus", priority, priority_reason, preview, added, sentiment_score, sentiment_label,
          complaint_category, escalation_risk, sentiment_series::float8[], sentiment_slope, last_message_at, last_inbound_at, waiting_since, first_response_at,
          first_response_due_at, next_response_due_at, resolution_due_at, sla_policy_id, language,
          inbox_id, contact_id, type::"ConversationType", team_id, subject, thread_key, created_at, now()
        FROM unnest(${conversationColumns(created)}, ${col(created, (s) => s.inboxId, 'uuid[]')}, ${col(created, (s) => s.contactId, 'uuid[]')},
                    ${col(created, (s) => s.type, 'text[]')}, ${col(created, (s) => s.teamId, 'uuid[]')}, ${col(created, (s) => s.subject, 'text[]')},
                    ${col(created, (s) => s.threadKey, 'text[]')}, ${col(created, (s) => s.createdAt, 'timestamptz[]')})
          AS u(${stateNames}, inbox_id, contact_id, type, team_id, subject, thread_key, created_at)
    ), updated_conversations AS (
      UPDATE conversations c SET
          status = v.status::"ConversationStatus",
          snoozed_until = CASE WHEN v.status = 'open' THEN NULL ELSE c.snoozed_until END,
          resolved_at = CASE WHEN v.status = 'open' THEN NULL ELSE c.resolved_at END,
          priority = v.priority, priority_reason = v.priority_reason, last_message_preview = v.preview, message_count = c.message_count + v.added,
          sentiment_score = v.sentiment_score, sentiment_label = v.sentiment_label, complaint_category = v.complaint_category,
          escalation_risk = v.escalation_risk, sentiment_series = v.sentiment_series::float8[], sentiment_slope = v.sentiment_slope,
          last_message_at = v.last_message_at, last_inbound_at = v.last_inbound_at,
          waiting_since = v.waiting_since, first_response_at = v.first_response_at,
          first_response_due_at = v.first_response_due_at, next_response_due_at = v.next_response_due_at,
          resolution_due_at = v.resolution_due_at, sla_policy_id = v.sla_policy_id, language = v.language, updated_at = now()
        FROM unnest(${conversationColumns(updated)}) AS v(${stateNames})
       WHERE c.id = v.id
    ), inserted_messages AS (
      INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, contact_id, text, html, subject, external_id,
          in_reply_to, thread_reason, delivery_status, metadata, sent_at, created_at)
      SELECT id, conversation_id, inbox_id, direction::"MessageDirection", sender_type::"SenderType", contact_id, text, html, subject, external_id,
          in_reply_to, thread_reason, delivery_status::"DeliveryStatus", metadata, sent_at, created_at
        FROM unnest(${col(w.messages, (m) => m.id, 'uuid[]')}, ${col(w.messages, (m) => m.conversationId, 'uuid[]')}, ${col(w.messages, (m) => m.inboxId, 'uuid[]')},
                    ${col(w.messages, (m) => (m.inbound ? 'inbound' : 'outbound'), 'text[]')}, ${col(w.messages, (m) => (m.inbound ? 'contact' : 'agent'), 'text[]')},
                    ${col(w.messages, (m) => (m.inbound ? m.contactId : null), 'uuid[]')}, ${col(w.messages, (m) => m.message.text, 'text[]')},
                    ${col(w.messages, (m) => m.html, 'text[]')}, ${col(w.messages, (m) => m.message.subject ?? null, 'text[]')},
                    ${col(w.messages, (m) => m.message.externalId, 'text[]')}, ${col(w.messages, (m) => m.message.thread.inReplyTo ?? null, 'text[]')},
                    ${col(w.messages, (m) => m.threadReason, 'text[]')}, ${col(w.messages, (m) => (m.inbound ? 'received' : 'sent'), 'text[]')},
                    ${col(w.messages, (m) => json(messageMetadata(m.message)), 'jsonb[]')}, ${col(w.messages, (m) => m.sentAt, 'timestamptz[]')},
                    ${col(w.messages, (m) => m.createdAt, 'timestamptz[]')})
          AS u(id, conversation_id, inbox_id, direction, sender_type, contact_id, text, html, subject, external_id,
               in_reply_to, thread_reason, delivery_status, metadata, sent_at, created_at)
      ON CONFLICT (inbox_id, external_id) DO NOTHING
      RETURNING id
    ), inserted_signals AS (
      INSERT INTO message_signals (message_id, sentiment_score, sentiment_label, sentiment_confidence, probabilities, complaint_category,
          complaint_confidence, urgency_cues, escalation_risk, language, explanation, model_version)
      SELECT u.* FROM unnest(${col(scored, (m) => m.id, 'uuid[]')}, ${sig((s) => s.sentiment.score, 'float8[]')}, ${sig((s) => s.sentiment.label, 'text[]')},
                             ${sig((s) => s.sentiment.confidence, 'float8[]')}, ${sig((s) => json(s.sentiment.probabilities), 'jsonb[]')},
                             ${sig((s) => s.complaint?.category ?? null, 'text[]')}, ${sig((s) => s.complaint?.confidence ?? null, 'float8[]')},
                             ${sig((s) => json(s.urgency), 'jsonb[]')}, ${sig((s) => s.escalationRisk, 'float8[]')}, ${sig((s) => s.language.code, 'text[]')},
                             ${sig((s) => json(s.explanation), 'jsonb[]')}, ${sig((s) => s.modelVersion, 'text[]')})
          AS u(message_id, a, b, c, d, e, f, g, h, i, j, k)
       WHERE u.message_id IN (SELECT id FROM inserted_messages)
    ), inserted_attachments AS (
      INSERT INTO attachments (id, message_id, file_name, content_type, size, storage_key, url, inline)
      SELECT u.* FROM unnest(${col(attachments, (a) => a.id, 'uuid[]')}, ${col(attachments, (a) => a.messageId, 'uuid[]')}, ${col(attachments, (a) => a.fileName, 'text[]')},
                             ${col(attachments, (a) => a.contentType, 'text[]')}, ${col(attachments, (a) => a.size, 'int[]')},
                             ${col(attachments, (a) => a.storageKey ?? null, 'text[]')}, ${col(attachments, (a) => a.url ?? null, 'text[]')},
                             ${col(attachments, (a) => a.inline ?? false, 'bool[]')})
          AS u(id, message_id, file_name, content_type, size, storage_key, url, inline)
       WHERE u.message_id IN (SELECT id FROM inserted_messages)
    ), finished_receipts AS (
      UPDATE inbound_receipts r SET status = 'processed', processed_at = now(), attempts = r.attempts + 1, last_error = NULL, message_id = v.message_id
        FROM unnest(${col(w.receipts, (r) => r.receiptId, 'uuid[]')}, ${col(w.receipts, (r) => r.messageId, 'uuid[]')}) AS v(id, message_id)
       WHERE r.id = v.id
    ), routing AS (
      INSERT INTO routing_events (type, conversation_id, message_id, data)
      SELECT 'message.created', u.conversation_id, u.message_id, u.data
        FROM unnest(${col(routed, (m) => m.conversationId, 'uuid[]')}, ${col(routed, (m) => m.id, 'uuid[]')}, ${col(routed, (m) => json(routingData(m, stateOf)), 'jsonb[]')})
          AS u(conversation_id, message_id, data)
       WHERE u.message_id IN (SELECT id FROM inserted_messages)
    ), audit AS (
      INSERT INTO audit_events (type, conversation_id, inbox_id, data)
      SELECT * FROM unnest(${col(opened, (s) => `conversation.${s.opened}`, 'text[]')}, ${col(opened, (s) => s.id, 'uuid[]')},
                           ${col(opened, (s) => s.inboxId, 'uuid[]')}, ${col(opened, (s) => json({ reason: w.openReasons.get(s.id) ?? null }), 'jsonb[]')})
    )
    SELECT id FROM inserted_messages`;
  const { rows } = await db.query<{ id: string }>(sql, p.values);
  if (rows.length < w.messages.length) {
    const stored = new Set(rows.map((r) => r.id));
    throw new AlreadyStored(w.messages.filter((m) => !stored.has(m.id)).map((m) => m.id));
  }
}

function routingData(m: MessageRow, stateOf: Map<string, ConversationState>) {
  const c = stateOf.get(m.conversationId);
  return { createdConversation: c?.opened === 'created', previousRisk: c?.previousRisk ?? null, automated: m.message.automated };
}

export function messageMetadata(m: InboundMessage): Record<string, unknown> {
  return { ...m.metadata, ...(m.automated ? { automated: true } : {}) };
}
