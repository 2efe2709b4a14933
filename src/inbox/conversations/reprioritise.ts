// Priority moves with time: a customer waiting longer, a due time coming closer. The pipeline
// computes priority when a message arrives; this recomputes it, once a minute from the worker,
// for the conversations whose score can have moved since the last run — those waiting less
// than four hours, or within two hours of a due time (src/routing/priority.ts says why only
// those) — so the list's order stays true between messages without reading every waiting
// conversation every minute (140,000 of them in a store of a million). The first run of a
// process, with nothing to go by, reads them all.
import type { Database } from '../../platform/db/client';
import { conversationPriority, SLA_RISE_MINUTES, WAITING_FULL_MINUTES, type ConversationPriorityFields, type PriorityWeights } from '../../routing/priority';
import type { InboxEventBus } from '../events';
import { loadConversationViews } from '../views';
import { storedPriority } from './state/message';
import { writeConversationState } from './state/write';

type WaitingRow = ConversationPriorityFields & { id: string; priority: number; cues: Array<{ weight: number }> | null };

const MINUTE = 60_000;

/** Read, re-scored and written a page at a time: a first run over 200,000 waiting conversations stays a series of small transactions. */
const PAGE = 2_000;

/**
 * Recomputes the priority of waiting conversations whose score can have moved since `since`
 * (all of them when null); returns how many changed.
 */
export async function reprioritiseWaiting(db: Database, events: InboxEventBus, weights: PriorityWeights, now: Date, since: Date | null = null): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const rows = await waitingPage(db, now, since, after);
    if (!rows.length) return total;
    total += await rescore(db, events, weights, now, rows);
    after = rows[rows.length - 1]!.id;
    if (rows.length < PAGE) return total;
  }
}

async function waitingPage(db: Database, now: Date, since: Date | null, after: string): Promise<WaitingRow[]> {
  // Windows widened back to the last run: what moved while the worker slept is caught up too.
  const from = since ?? new Date(0);
  const { rows } = await db.pool.query<WaitingRow>(
    `SELECT c.id, c.type::text AS type, c.sentiment_score AS "sentimentScore", c.escalation_risk AS "escalationRisk", c.complaint_category AS "complaintCategory",
            c.waiting_since AS "waitingSince", c.first_response_at AS "firstResponseAt", c.first_response_due_at AS "firstResponseDueAt",
            c.next_response_due_at AS "nextResponseDueAt", c.priority_floor AS "priorityFloor", c.priority, ct.customer_value AS "customerValue",
            (SELECT s.urgency_cues FROM messages m JOIN message_signals s ON s.message_id = m.id
              WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.created_at DESC LIMIT 1) AS cues
       FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
      WHERE c.status = 'open' AND c.waiting_since IS NOT NULL AND c.id > $5
        AND ($1::boolean
             OR c.id IN (SELECT id FROM conversations WHERE status = 'open' AND waiting_since > $2
                         UNION SELECT id FROM conversations WHERE first_response_due_at BETWEEN $3 AND $4
                         UNION SELECT id FROM conversations WHERE next_response_due_at BETWEEN $3 AND $4))
      ORDER BY c.id LIMIT ${PAGE}`,
    [since === null, new Date(from.getTime() - WAITING_FULL_MINUTES * MINUTE), new Date(from.getTime() - MINUTE), new Date(now.getTime() + SLA_RISE_MINUTES * MINUTE), after],
  );
  return rows;
}

async function rescore(db: Database, events: InboxEventBus, weights: PriorityWeights, now: Date, rows: WaitingRow[]): Promise<number> {
  const changed: Array<{ id: string; old: number } & ReturnType<typeof storedPriority>> = [];
  for (const r of rows) {
    const urgency = (r.cues ?? []).reduce((sum, c) => sum + (c.weight ?? 0), 0);
    const p = conversationPriority(r, now, weights, urgency);
    if (p.score !== r.priority) changed.push({ id: r.id, old: r.priority, ...storedPriority(p, now) });
  }
  // Only where nothing else changed the priority meanwhile (a new message recomputed it).
  const updated = await writeConversationState<(typeof changed)[number], 'priority' | 'priorityReason', { id: string }>(db.pool, 'update', {
    rows: changed,
    fields: ['priority', 'priorityReason'],
    compared: [{ column: 'old_priority', type: 'int[]', value: (c) => c.old }],
    where: 'c.priority = v.old_priority',
    returning: 'c.id',
  });
  for (const view of await loadConversationViews(db.pool, updated.map((u) => u.id))) {
    events.emit({ type: 'conversation.updated', inboxId: view.inbox.id, conversation: view, changes: ['priority'] });
  }
  return updated.length;
}
