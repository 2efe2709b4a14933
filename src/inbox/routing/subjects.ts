// What routing knows about the conversations of one batch: each one locked and read with
// everything the rules and actions look at, in one statement however many there are; and
// the customer messages the events are about, in another. Routing then decides in memory
// on these copies (plan.ts) and writes them back once (write-plan.ts).
import type pg from 'pg';
import type { ConversationStatus } from '../../platform/db/client';
import { PING_PONG_WINDOW_MS } from '../../routing/escalation';
import { inboxRoutingOf, type InboxRouting } from '../../routing/inbox-settings';
import type { RuleContext } from '../../routing/rules';

/** Repeat contact: another conversation of the same contact and complaint type resolved this recently. */
export const REPEAT_WINDOW_MS = 7 * 24 * 3_600_000;
/** The acknowledgement quotes ten minutes per conversation ahead, counted up to this many. */
const QUEUE_AHEAD_CAP = 100;

export interface PriorityReason {
  factors?: unknown[];
  [key: string]: unknown;
}

/**
 * A conversation as routing sees it: what the rules read of it (the RuleContext fields), and
 * its state, which changes in memory as the batch's actions apply.
 */
export interface RoutingSubject
  extends Pick<RuleContext, 'sentiment' | 'sentimentScore' | 'sentimentSlope' | 'complaintCategory' | 'risk' | 'customerValue' | 'tier' | 'repeatContact'> {
  id: string;
  inboxId: string;
  reference: number;
  channel: string;
  routing: InboxRouting;
  type: 'direct' | 'mention';
  contactName: string | null;
  /** How the customer is greeted and in which language (their own, before what they wrote in). */
  contactTitle: string | null;
  contactFormality: string | null;
  contactLanguage: string | null;
  /** The contact's custom attribute values (rules' "attribute" conditions). */
  attributes: Record<string, string | number>;
  /** The customer opted out on one of their channels: nothing automatic is sent to them. */
  optedOut: boolean;
  /** The language of the customer's latest message (assignment matches agents' languages). */
  language: string | null;
  /** Times it was assigned in the last hour (the escalation's ping-pong guard). */
  recentAssignments: number;
  /** Open conversations of its inbox waiting ahead of it (only counted when it has no due time). */
  queueAhead: number;
  // --- state ---
  status: ConversationStatus;
  priority: number;
  priorityFloor: number;
  priorityReason: PriorityReason;
  assigneeId: string | null;
  teamId: string | null;
  waitingSince: Date | null;
  acknowledgedAt: Date | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  slaPolicyId: string | null;
  escalationLevel: number;
  escalatedAt: Date | null;
  labels: string[];
  /** Automatic messages added by this batch (the conversation's message count). */
  addedMessages: number;
}

/** A customer message an event is about: what the rules and the acknowledgement read of it. */
export interface MessageFacts {
  id: string;
  conversationId: string;
  text: string;
  automated: boolean;
  language: string | null;
  complaintCategory: string | null;
  complaintConfidence: number | null;
}

export interface SubjectQuery {
  /** Conversations the batch's events are about. */
  ids: string[];
  /** Agents who went offline: their open conversations, to hand on. */
  offlineAgents: string[];
  /** The queue's head: the highest-priority unassigned conversations waiting, for agents with room. */
  waiting: { limit: number; inboxIds: string[] | null } | null;
  now: Date;
}

type SubjectRow = Omit<RoutingSubject, 'routing' | 'priorityReason' | 'addedMessages'> & { routing: unknown; priorityReason: unknown };

/**
 * Locks (NO KEY UPDATE, in id order: two batches never wait on each other in a circle) and
 * reads the conversations asked for. The queue's head is read in the same statement, so
 * every lock the batch takes is taken here, in one order.
 */
export async function loadSubjects(client: pg.PoolClient, q: SubjectQuery): Promise<Map<string, RoutingSubject>> {
  const { rows } = await client.query<SubjectRow>(
    `WITH wanted AS (
       SELECT unnest($1::uuid[]) AS id
       UNION SELECT id FROM conversations WHERE assignee_id = ANY($2::uuid[]) AND status = 'open'
       UNION (SELECT id FROM conversations
               WHERE status = 'open' AND assignee_id IS NULL AND waiting_since IS NOT NULL AND ($4::uuid[] IS NULL OR inbox_id = ANY($4::uuid[]))
               ORDER BY priority DESC, waiting_since LIMIT $3)
     )
     SELECT c.id, c.inbox_id AS "inboxId", c.reference, i.kind::text AS channel, i.routing, c.type::text AS type,
            ct.name AS "contactName", ct.title AS "contactTitle", ct.formality AS "contactFormality", ct.language AS "contactLanguage", ct.attributes, ct.customer_value AS "customerValue", ct.tier,
            -- Opted out anywhere, unsubscribed from automatic messages on this channel's identity, or "do not contact": no acknowledgement.
            (EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = c.contact_id AND (ci.opted_out
                       OR ('automatic' = ANY(ci.unsubscribed) AND ci.kind::text = CASE i.kind::text WHEN 'sms' THEN 'phone' ELSE i.kind::text END)))
             OR EXISTS (SELECT 1 FROM contacts dn WHERE dn.id = c.contact_id AND dn.do_not_contact)) AS "optedOut",
            c.sentiment_label AS sentiment, c.sentiment_score AS "sentimentScore", c.sentiment_slope AS "sentimentSlope",
            c.complaint_category AS "complaintCategory", c.escalation_risk AS risk, c.language,
            (c.complaint_category IS NOT NULL AND EXISTS (
               SELECT 1 FROM conversations o WHERE o.contact_id = c.contact_id AND o.id <> c.id AND o.complaint_category = c.complaint_category
                  AND (o.status <> 'resolved' OR o.resolved_at >= $5))) AS "repeatContact",
            (SELECT count(*)::int FROM audit_events a WHERE a.conversation_id = c.id AND a.created_at >= $6 AND a.type = 'conversation.assigned') AS "recentAssignments",
            CASE WHEN c.first_response_due_at IS NULL AND c.next_response_due_at IS NULL THEN
              (SELECT count(*)::int FROM (SELECT 1 FROM conversations o WHERE o.inbox_id = c.inbox_id AND o.status = 'open' AND o.priority > c.priority
                                             AND o.waiting_since IS NOT NULL LIMIT ${QUEUE_AHEAD_CAP}) ahead)
            ELSE 0 END AS "queueAhead",
            c.status::text AS status, c.priority, c.priority_floor AS "priorityFloor", c.priority_reason AS "priorityReason",
            c.assignee_id AS "assigneeId", c.team_id AS "teamId", c.waiting_since AS "waitingSince", c.acknowledged_at AS "acknowledgedAt",
            c.first_response_due_at AS "firstResponseDueAt", c.next_response_due_at AS "nextResponseDueAt", c.resolution_due_at AS "resolutionDueAt",
            c.snoozed_until AS "snoozedUntil", c.resolved_at AS "resolvedAt", c.sla_policy_id AS "slaPolicyId",
            c.escalation_level AS "escalationLevel", c.escalated_at AS "escalatedAt",
            COALESCE((SELECT array_agg(l.name ORDER BY l.name) FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = c.id), '{}') AS labels
       FROM conversations c
       JOIN inboxes i ON i.id = c.inbox_id
       JOIN contacts ct ON ct.id = c.contact_id
      WHERE c.id IN (SELECT id FROM wanted)
      ORDER BY c.id
        FOR NO KEY UPDATE OF c`,
    [q.ids, q.offlineAgents, q.waiting?.limit ?? 0, q.waiting?.inboxIds ?? null, new Date(q.now.getTime() - REPEAT_WINDOW_MS), new Date(q.now.getTime() - PING_PONG_WINDOW_MS)],
  );
  return new Map(
    rows.map((r) => [r.id, { ...r, routing: inboxRoutingOf(r.routing), priorityReason: (r.priorityReason ?? {}) as PriorityReason, addedMessages: 0 }]),
  );
}

type FactsRow = Omit<MessageFacts, 'automated'> & { automated: boolean | null; latestOf: string | null };

/**
 * The customer messages named (by id), and the latest customer message of conversations
 * whose event names none (a service-level moment): keyed by message id and by
 * `latest:<conversation id>`.
 */
export async function loadMessageFacts(client: pg.PoolClient, messageIds: string[], latestOf: string[]): Promise<Map<string, MessageFacts>> {
  if (!messageIds.length && !latestOf.length) return new Map();
  const columns = `m.id, m.conversation_id AS "conversationId", m.text, (m.metadata->>'automated')::boolean AS automated,
                   s.language, s.complaint_category AS "complaintCategory", s.complaint_confidence AS "complaintConfidence"`;
  const { rows } = await client.query<FactsRow>(
    `SELECT ${columns}, NULL::uuid AS "latestOf" FROM messages m LEFT JOIN message_signals s ON s.message_id = m.id WHERE m.id = ANY($1::uuid[])
     UNION ALL
     SELECT l.*, w.id FROM unnest($2::uuid[]) AS w(id)
       CROSS JOIN LATERAL (SELECT ${columns} FROM messages m LEFT JOIN message_signals s ON s.message_id = m.id
                            WHERE m.conversation_id = w.id AND m.direction = 'inbound' ORDER BY m.created_at DESC LIMIT 1) l`,
    [messageIds, latestOf],
  );
  return new Map(rows.map(({ latestOf: of, automated, ...r }) => [of ? `latest:${of}` : r.id, { ...r, automated: automated === true }]));
}
