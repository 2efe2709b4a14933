// The JSON shapes agents see, in the API and in realtime events, loaded by one SQL query per
// kind whatever the number of rows. One place, so that a conversation looks the same whether
// it arrives by GET or by socket.
import type { Queryable } from '../platform/db/sql';

function iso(d: Date): string;
function iso(d: Date | null | undefined): string | null;
function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

const CONVERSATION_SELECT = `
  SELECT c.id, c.reference, c.type::text AS type, c.status::text AS status, c.priority, c.priority_reason AS "priorityReason",
         c.subject, c.last_message_preview AS "lastMessagePreview", c.message_count AS "messageCount",
         c.sentiment_label AS "sentimentLabel", c.sentiment_score AS "sentimentScore", c.complaint_category AS "complaintCategory",
         c.complaint_stage::text AS "complaintStage",
         COALESCE(c.sentiment_series, ARRAY[]::float8[]) AS "sentimentSeries", c.sentiment_slope AS "sentimentSlope", c.escalation_risk AS "escalationRisk", c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.last_message_at AS "lastMessageAt",
         c.last_inbound_at AS "lastInboundAt", c.waiting_since AS "waitingSince", c.first_response_at AS "firstResponseAt",
         c.resolved_at AS "resolvedAt", c.snoozed_until AS "snoozedUntil", c.first_response_due_at AS "firstResponseDueAt",
         c.next_response_due_at AS "nextResponseDueAt", c.resolution_due_at AS "resolutionDueAt",
         json_build_object('id', i.id, 'name', i.name, 'kind', i.kind) AS inbox,
         json_build_object('id', ct.id, 'name', ct.name, 'email', ct.email, 'phone', ct.phone, 'language', ct.language, 'timeZone', ct.time_zone) AS contact,
         CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'name', a.name) END AS assignee,
         CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'name', t.name) END AS team,
         COALESCE((SELECT json_agg(json_build_object('name', l.name, 'color', l.color) ORDER BY l.name)
                     FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = c.id), '[]'::json) AS labels
    FROM conversations c
    JOIN inboxes i ON i.id = c.inbox_id
    JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN agents a ON a.id = c.assignee_id
    LEFT JOIN teams t ON t.id = c.team_id`;

import type { PriorityFactor } from '../routing/priority';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** Why a conversation has its priority: each factor's points (src/routing/priority.ts), when computed. */
export interface PriorityReason {
  factors?: Array<Omit<PriorityFactor, 'factor'> & { factor: string }>;
  computedAt?: string;
}

interface ConversationRow {
  id: string;
  reference: number;
  type: 'direct' | 'mention';
  status: 'open' | 'pending' | 'snoozed' | 'resolved';
  priority: number;
  priorityReason: PriorityReason;
  subject: string | null;
  lastMessagePreview: string | null;
  messageCount: number;
  sentimentLabel: SentimentLabel | null;
  sentimentScore: number | null;
  sentimentSeries: number[];
  sentimentSlope: number | null;
  complaintCategory: string | null;
  complaintStage: 'acknowledged' | 'investigating' | 'resolved' | 'remedied' | 'followed_up' | null;
  escalationRisk: number | null;
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  snoozedUntil: Date | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  inbox: { id: string; name: string; kind: string };
  contact: { id: string; name: string | null; email: string | null; phone: string | null; language: string | null; timeZone: string | null };
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  labels: Array<{ name: string; color: string }>;
}

function conversationView(c: ConversationRow) {
  return {
    id: c.id,
    reference: c.reference,
    inbox: c.inbox,
    contact: c.contact,
    type: c.type,
    status: c.status,
    priority: c.priority,
    priorityReason: c.priorityReason,
    assignee: c.assignee,
    team: c.team,
    subject: c.subject,
    lastMessagePreview: c.lastMessagePreview,
    messageCount: c.messageCount,
    sentiment: c.sentimentLabel ? { label: c.sentimentLabel, score: c.sentimentScore ?? 0, series: c.sentimentSeries, slope: c.sentimentSlope } : null,
    complaintCategory: c.complaintCategory,
    /** The complaint case's recovery stage; null when it is no complaint case. */
    complaintStage: c.complaintStage,
    escalationRisk: c.escalationRisk,
    labels: c.labels,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    lastMessageAt: iso(c.lastMessageAt),
    lastInboundAt: iso(c.lastInboundAt),
    waitingSince: iso(c.waitingSince),
    firstResponseAt: iso(c.firstResponseAt),
    resolvedAt: iso(c.resolvedAt),
    snoozedUntil: iso(c.snoozedUntil),
    firstResponseDueAt: iso(c.firstResponseDueAt),
    nextResponseDueAt: iso(c.nextResponseDueAt),
    resolutionDueAt: iso(c.resolutionDueAt),
  };
}
export type ConversationView = ReturnType<typeof conversationView>;

/** Views of these conversations, in the order of `ids` (missing ones left out). */
export async function loadConversationViews(db: Queryable, ids: string[]): Promise<ConversationView[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<ConversationRow>(`${CONVERSATION_SELECT} WHERE c.id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is ConversationRow => !!r).map(conversationView);
}

export async function loadConversationView(db: Queryable, id: string): Promise<ConversationView> {
  const [view] = await loadConversationViews(db, [id]);
  if (!view) throw new Error(`conversation ${id} vanished`);
  return view;
}

const MESSAGE_SELECT = `
  SELECT m.id, m.conversation_id AS "conversationId", m.inbox_id AS "inboxId", m.direction::text AS direction, m.sender_type::text AS "senderType",
         m.agent_id AS "agentId", a.name AS "agentName", m.contact_id AS "contactId", ct.name AS "contactName",
         m.text, m.html, m.subject, m.external_id AS "externalId", m.thread_reason AS "threadReason",
         m.delivery_status::text AS "deliveryStatus", m.delivery_error AS "deliveryError", m.metadata, m.sent_at AS "sentAt", m.created_at AS "createdAt",
         CASE WHEN s.message_id IS NULL THEN NULL ELSE json_build_object(
           'sentiment', json_build_object('label', s.sentiment_label, 'score', s.sentiment_score, 'confidence', s.sentiment_confidence, 'probabilities', s.probabilities),
           'complaint', CASE WHEN s.complaint_category IS NULL THEN NULL ELSE json_build_object('category', s.complaint_category, 'confidence', s.complaint_confidence) END,
           'urgency', s.urgency_cues, 'escalationRisk', s.escalation_risk, 'language', s.language,
           'explanation', s.explanation, 'modelVersion', s.model_version) END AS signals,
         COALESCE((SELECT json_agg(json_build_object('id', x.id, 'fileName', x.file_name, 'contentType', x.content_type, 'size', x.size, 'url', CASE WHEN x.storage_key IS NOT NULL THEN '/api/v1/attachments/' || x.id ELSE x.url END, 'inline', x.inline) ORDER BY x.created_at)
                     FROM attachments x WHERE x.message_id = m.id), '[]'::json) AS attachments
    FROM messages m
    LEFT JOIN agents a ON a.id = m.agent_id
    LEFT JOIN contacts ct ON ct.id = m.contact_id
    LEFT JOIN message_signals s ON s.message_id = m.id`;

/** A message as the views need it: from the database, or from what the pipeline just wrote. */
export interface MessageRecord {
  id: string;
  conversationId: string;
  inboxId: string;
  direction: 'inbound' | 'outbound' | 'note' | 'activity';
  senderType: 'contact' | 'agent' | 'system';
  agentId: string | null;
  agentName: string | null;
  contactId: string | null;
  contactName: string | null;
  text: string;
  html: string | null;
  subject: string | null;
  externalId: string | null;
  threadReason: string | null;
  deliveryStatus: string | null;
  deliveryError: string | null;
  metadata: Record<string, unknown>;
  sentAt: Date;
  createdAt: Date;
  signals: {
    sentiment: { label: SentimentLabel; score: number; confidence: number; probabilities: Record<string, number> };
    complaint: { category: string; confidence: number } | null;
    urgency: Array<{ cue: string; phrase: string; weight: number }>;
    escalationRisk: number | null;
    language: string | null;
    explanation: { sentiment: Array<{ feature: string; weight: number }>; complaint: Array<{ feature: string; weight: number }>; rules: string[] };
    modelVersion: string;
  } | null;
  attachments: Array<{ id: string; fileName: string; contentType: string; size: number; url: string | null; inline: boolean }>;
}

export function messageView(m: MessageRecord) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    inboxId: m.inboxId,
    direction: m.direction,
    sender:
      m.senderType === 'agent'
        ? { type: 'agent' as const, id: m.agentId, name: m.agentName }
        : m.senderType === 'contact'
          ? { type: 'contact' as const, id: m.contactId, name: m.contactName }
          : { type: 'system' as const, id: null, name: null },
    text: m.text,
    html: m.html,
    subject: m.subject,
    externalId: m.externalId,
    threadReason: m.threadReason,
    deliveryStatus: m.deliveryStatus,
    deliveryError: m.deliveryError,
    metadata: m.metadata,
    attachments: m.attachments,
    signals: m.signals,
    sentAt: iso(m.sentAt),
    createdAt: iso(m.createdAt),
  };
}
export type MessageView = ReturnType<typeof messageView>;

/** Views of these messages, in the order of `ids`. */
export async function loadMessageViews(db: Queryable, ids: string[]): Promise<MessageView[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<MessageRecord>(`${MESSAGE_SELECT} WHERE m.id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is MessageRecord => !!r).map(messageView);
}

export async function loadMessageView(db: Queryable, id: string): Promise<MessageView> {
  const [view] = await loadMessageViews(db, [id]);
  if (!view) throw new Error(`message ${id} vanished`);
  return view;
}

/** A conversation's timeline, oldest first. */
export async function loadTimeline(db: Queryable, conversationId: string, limit = 1000): Promise<MessageView[]> {
  const { rows } = await db.query<MessageRecord>(`${MESSAGE_SELECT} WHERE m.conversation_id = $1::uuid ORDER BY m.sent_at, m.created_at LIMIT $2`, [conversationId, limit]);
  return rows.map(messageView);
}
