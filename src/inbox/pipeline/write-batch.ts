// Everything one pipeline batch writes, as one statement: data-modifying CTEs for new and
// updated conversations, messages, signals, attachments, receipts and the audit log. One
// round trip however many messages, and all of it or nothing.
import { SqlParams, type Queryable } from '../../platform/db/sql';
import type { MessageSignals } from '../../sentiment';
import type { InboundMessage } from './inbound-message';
import type { ConversationState } from '../conversations/state/message';
import { conversationStateStatement, type OtherColumn } from '../conversations/state/write';
import { INCIDENT_RULE_MATCH } from '../incidents/rule-match';

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

import { opensComplaint } from '../complaints/cases';

const json = (v: unknown) => JSON.stringify(v);

/** The state a message changes (conversations/state/message.ts); a new conversation also gets its inbox's team. */
const PIPELINE_STATE = ['status', 'priority', 'priorityReason', 'waitingSince', 'firstResponseAt', 'firstResponseDueAt', 'nextResponseDueAt', 'resolutionDueAt', 'slaPolicyId'] as const;

/** What else a batch changes on its conversations: the list's preview and counters, the analysis of the customer's words. */
const ANALYSIS: ReadonlyArray<OtherColumn<ConversationState>> = [
  { column: 'last_message_preview', type: 'text[]', value: (s) => s.lastMessagePreview },
  { column: 'message_count', type: 'int[]', value: (s) => s.addedMessages, update: 'c.message_count + v.message_count' },
  { column: 'sentiment_score', type: 'float8[]', value: (s) => s.sentimentScore },
  { column: 'sentiment_label', type: 'text[]', value: (s) => s.sentimentLabel },
  { column: 'complaint_category', type: 'text[]', value: (s) => s.complaintCategory },
  { column: 'escalation_risk', type: 'float8[]', value: (s) => s.escalationRisk },
  // An array per row: unnest would flatten a float8[][], so each goes as its text form.
  { column: 'sentiment_series', type: 'text[]', value: (s) => `{${s.sentimentSeries.join(',')}}`, cast: '::float8[]' },
  { column: 'sentiment_slope', type: 'float8[]', value: (s) => s.sentimentSlope },
  { column: 'last_message_at', type: 'timestamptz[]', value: (s) => s.lastMessageAt },
  { column: 'last_inbound_at', type: 'timestamptz[]', value: (s) => s.lastInboundAt },
  { column: 'language', type: 'text[]', value: (s) => s.language },
  // A complaint opens its recovery case (complaints/cases.ts), once: not again after an agent said it is none.
  {
    column: 'complaint_stage', type: 'text[]', cast: '::"ComplaintStage"',
    value: (s) => (opensComplaint(s.complaintCategory, s.sentimentLabel) ? 'acknowledged' : null),
    update: `CASE WHEN c.complaint_opened_at IS NULL THEN v.complaint_stage::"ComplaintStage" ELSE c.complaint_stage END`,
  },
  {
    column: 'complaint_opened_at', type: 'timestamptz[]',
    value: (s) => (opensComplaint(s.complaintCategory, s.sentimentLabel) ? s.lastMessageAt : null),
    update: 'COALESCE(c.complaint_opened_at, v.complaint_opened_at)',
  },
];

/** A new conversation's identity, written once. */
const IDENTITY: ReadonlyArray<OtherColumn<ConversationState>> = [
  { column: 'inbox_id', type: 'uuid[]', value: (s) => s.inboxId },
  { column: 'contact_id', type: 'uuid[]', value: (s) => s.contactId },
  { column: 'type', type: 'text[]', value: (s) => s.type, cast: '::"ConversationType"' },
  { column: 'subject', type: 'text[]', value: (s) => s.subject },
  { column: 'thread_key', type: 'text[]', value: (s) => s.threadKey },
  { column: 'created_at', type: 'timestamptz[]', value: (s) => s.createdAt },
];

export async function writeBatch(db: Queryable, w: BatchWrite): Promise<void> {
  const p = new SqlParams();
  const col = <T>(rows: T[], f: (r: T) => unknown, type: string) => p.column(rows, f, type);
  const created = w.conversations.filter((c) => c.isNew);
  const updated = w.conversations.filter((c) => !c.isNew);
  const scored = w.messages.filter((m) => m.signals);
  const sig = <R>(f: (s: MessageSignals) => R, type: string) => col(scored, (m) => f(m.signals!), type);
  const attachments = w.messages.flatMap((m) => m.message.attachments.map((a, i) => ({ id: m.attachmentIds[i]!, messageId: m.id, ...a })));
  const opened = w.conversations.filter((c) => c.opened);
  // Routing reacts to customers' messages (src/inbox/routing); the outbox row commits with them.
  const routed = w.routed ? w.messages.filter((m) => m.inbound) : [];
  const stateOf = new Map(w.conversations.map((c) => [c.id, c]));
  // Incidents' rules read a customer message's complaint type and its conversation's.
  const inbound = w.messages.filter((m) => m.inbound);

  const sql = `
    WITH new_conversations AS (
      ${conversationStateStatement(p, 'insert', { rows: created, fields: [...PIPELINE_STATE, 'teamId'], others: [...ANALYSIS, ...IDENTITY] })}
    ), updated_conversations AS (
      ${conversationStateStatement(p, 'update', { rows: updated, fields: [...PIPELINE_STATE, 'snoozedUntil', 'resolvedAt'], others: ANALYSIS })}
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
      RETURNING id, conversation_id, direction, text, subject, created_at
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
    ), incident_links AS (
      -- Incidents' rules (src/inbox/incidents): read here, not from a cache, so a rule links from the moment it is saved.
      INSERT INTO incident_links (incident_id, conversation_id, linked_by)
      SELECT DISTINCT i.id, m.conversation_id, 'rule'
        FROM inserted_messages m
        JOIN unnest(${col(inbound, (x) => x.id, 'uuid[]')}, ${col(inbound, (x) => x.signals?.complaint?.category ?? null, 'text[]')},
                    ${col(inbound, (x) => stateOf.get(x.conversationId)?.complaintCategory ?? null, 'text[]')}) AS u(message_id, category, conversation_category)
          ON u.message_id = m.id
        JOIN incidents i ON i.rule_enabled AND i.status <> 'resolved'
       WHERE ${INCIDENT_RULE_MATCH}
      ON CONFLICT DO NOTHING
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
