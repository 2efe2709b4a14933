// Routing, executed in batches like the pipeline. One transaction per batch of outbox events
// (routing_events, written in the same transactions as what happened):
//   1. claim up to BATCH_SIZE events (FOR UPDATE SKIP LOCKED: another worker takes others);
//   2. lock and read their conversations in one statement (subjects.ts), with the queue's
//      head when agents have room and the conversations of agents who went offline, and the
//      messages the events are about in another, sent together;
//   3. decide in memory with src/routing's pure functions (rule-runner.ts, assigner.ts,
//      acknowledger.ts, escalator.ts) into one plan (plan.ts);
//   4. write the plan with set-based statements and delete the events (write-plan.ts);
//   5. after COMMIT, tell agents (events) and queue the automatic replies for sending.
// Exactly once: the events are deleted in the transaction that wrote their effects, so a
// worker that dies mid-batch leaves them to be routed again from the start, and no rule's
// effect is ever half written. Sending happens after COMMIT from `queued` message rows,
// which the sweeper re-queues if the worker died in between.
import type pg from 'pg';
import type { Database } from '../../platform/db/client';
import { withPipelinedTransaction, together } from '../../platform/db/sql';
import { errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { QueueBackend } from '../../platform/queue';
import { MESSAGE_RULE_EVENTS, type RuleEvent } from '../../routing/rules';
import type { InboxEventBus } from '../events';
import { QUEUES, type OutboundJob } from '../queues';
import { Assigner } from './assigner';
import { RoutingPlan } from './plan';
import { ruleContext, runRules, type RuleRun } from './rule-runner';
import type { RoutingRules, SlaPolicies } from './sla-policies';
import { loadMessageFacts, loadSubjects } from './subjects';
import { writePlan, type WrittenPlan } from './write-plan';

/** Risk at or above this, reached by a message that raised it, is a "risk.rising" event. */
export const RISK_RISING_THRESHOLD = 0.6;
/** Outbox events routed in one transaction at most. */
const BATCH_SIZE = 500;
/** A batch that met a deadlock or a serialisation failure is run again this many times. */
const TRANSIENT_RETRIES = 3;
/** An event that failed alone this many times is kept in failed_jobs and leaves the outbox. */
const MAX_ATTEMPTS = 10;

export interface RouterOptions {
  db: Database;
  queue: QueueBackend;
  events: InboxEventBus;
  rules: RoutingRules;
  slaPolicies: SlaPolicies;
  logger: Logger;
  now?: () => Date;
}

interface OutboxRow {
  id: string;
  type: string;
  conversation_id: string;
  message_id: string | null;
  data: Record<string, unknown>;
}

interface RoutedBatch {
  plan: RoutingPlan;
  written: WrittenPlan;
  claimed: number;
}

const KNOWN_EVENTS = new Set(['message.created', 'sla.warning', 'sla.breach', 'capacity.freed', 'agent.online', 'agent.offline']);
const NO_CONVERSATION = '00000000-0000-0000-0000-000000000000';

export class Router {
  private readonly now: () => Date;
  private readonly assigner: Assigner;
  private draining?: Promise<number>;
  private again = false;

  constructor(private readonly o: RouterOptions) {
    this.now = o.now ?? (() => new Date());
    this.assigner = new Assigner(o.db);
  }

  /** Asks a worker to drain the outbox soon (deduplicated while one is waiting). */
  async kick(): Promise<void> {
    await this.o.queue.add(QUEUES.routing, 'drain', {}, { jobId: `drain-${Date.now()}` }).catch((err: unknown) => this.o.logger.warn({ err }, 'could not queue routing; the sweeper will'));
  }

  /** Routes every event in the outbox, oldest first, batch after batch; returns how many. */
  async drain(): Promise<number> {
    if (this.draining) {
      // One drain per process at a time; ask it to look again when it is done.
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      let total = 0;
      do {
        this.again = false;
        for (;;) {
          const n = await this.routeBatch();
          if (!n) break;
          total += n;
        }
      } while (this.again);
      return total;
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** One batch; on a failure, its events one by one, so one bad event never holds up the others. Returns events claimed. */
  private async routeBatch(): Promise<number> {
    let claimed: string[] = [];
    try {
      return await this.routeWithRetries(null, (ids) => (claimed = ids));
    } catch (err) {
      this.assigner.reset();
      if (claimed.length <= 1) {
        if (claimed.length) await this.failed(claimed[0]!, err);
        else throw err;
        return 1;
      }
      this.o.logger.warn({ err: errorMessage(err), events: claimed.length }, 'a routing batch failed; routing its events one by one');
      for (const id of claimed) {
        try {
          await this.routeWithRetries([id], () => {});
        } catch (one) {
          this.assigner.reset();
          await this.failed(id, one);
        }
      }
      return claimed.length;
    }
  }

  private async routeWithRetries(only: string[] | null, onClaim: (ids: string[]) => void): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const routed = await withPipelinedTransaction(
          this.o.db.pipelined,
          {
            // The row lock is the claim: held until this transaction ends, released by a crash.
            text: `SELECT id::text, type, conversation_id, message_id, data FROM routing_events
                    WHERE (claimed_until IS NULL OR claimed_until < now()) AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            values: [BATCH_SIZE, only],
          },
          (client, claim: pg.QueryResult<OutboxRow>) => {
            onClaim(claim.rows.map((r) => r.id));
            return this.route(client, claim.rows);
          },
        );
        if (!routed) return 0;
        this.publish(routed);
        return routed.claimed;
      } catch (err) {
        // Two transactions waited on each other (a pipeline batch locking in another order): run it again.
        const code = (err as { code?: string }).code;
        if ((code === '40P01' || code === '40001') && attempt < TRANSIENT_RETRIES) {
          this.assigner.reset();
          continue;
        }
        throw err;
      }
    }
  }

  /** Inside the batch's transaction: load, decide, write. */
  private async route(client: pg.PoolClient, events: OutboxRow[]): Promise<RoutedBatch | null> {
    if (!events.length) return null;
    const now = this.now();
    const plan = new RoutingPlan(now);
    const [rules, policies] = await Promise.all([this.o.rules.all(), this.o.slaPolicies.all()]);
    const listens = (types: readonly RuleEvent[]) => rules.some((r) => r.enabled && types.includes(r.event));

    const offline = [...new Set(events.filter((e) => e.type === 'agent.offline').map((e) => String(e.data.agentId)))];
    const roomFreed = events.some((e) => e.type === 'capacity.freed' || e.type === 'agent.online');
    await this.assigner.beginBatch({ refresh: roomFreed || offline.length > 0 });
    const ruleEvents = events.filter((e) => (e.type === 'message.created' && listens(MESSAGE_RULE_EVENTS)) || ((e.type === 'sla.warning' || e.type === 'sla.breach') && listens([e.type])));
    const room = roomFreed ? this.assigner.room() : null;
    const [subjects, facts] = await together(
      client,
      () => loadSubjects(client, { ids: [...new Set(ruleEvents.map((e) => e.conversation_id))], offlineAgents: offline, waiting: room && room.free > 0 ? { limit: room.free, inboxIds: room.inboxIds } : null, now }),
      () => loadMessageFacts(client, ruleEvents.flatMap((e) => (e.message_id ? [e.message_id] : [])), ruleEvents.flatMap((e) => (e.message_id ? [] : [e.conversation_id]))),
    );

    // Agents who left first (their conversations find new homes), then the queue's head for
    // whoever has room (the longest-waiting, highest priority before newcomers), then the rules.
    for (const agentId of offline) {
      const theirs = [...subjects.values()].filter((s) => s.assigneeId === agentId && s.status === 'open');
      await this.assigner.requeue(plan, theirs, agentId);
    }
    if (room) {
      const waiting = [...subjects.values()]
        .filter((s) => s.status === 'open' && !s.assigneeId && s.waitingSince)
        .sort((a, b) => b.priority - a.priority || a.waitingSince!.getTime() - b.waitingSince!.getTime());
      await this.assigner.handOut(plan, waiting);
    }
    const run: RuleRun = { plan, rules, policies, assigner: this.assigner };
    for (const e of ruleEvents) {
      const s = subjects.get(e.conversation_id);
      if (!s) continue; // the conversation is gone
      if (e.type === 'message.created') {
        const message = (e.message_id && facts.get(e.message_id)) || null;
        const ctx = ruleContext(s, 'message.created', message, { automated: e.data.automated === true, now });
        const kinds: RuleEvent[] = ['message.created'];
        if (e.data.createdConversation) kinds.unshift('conversation.created');
        const previous = typeof e.data.previousRisk === 'number' ? e.data.previousRisk : 0;
        if ((ctx.risk ?? 0) >= RISK_RISING_THRESHOLD && (ctx.risk ?? 0) > previous) kinds.push('risk.rising');
        for (const event of kinds) await runRules(run, s, { ...ctx, event }, { message, outboxEventId: e.id });
      } else {
        const latest = facts.get(`latest:${s.id}`) ?? null;
        // A service-level moment quotes no message: the acknowledgement names no topic.
        const ctx = ruleContext(s, e.type as RuleEvent, latest, { automated: e.data.automated === true, now });
        await runRules(run, s, ctx, { message: null, outboxEventId: e.id });
      }
    }
    for (const e of events) {
      if (!KNOWN_EVENTS.has(e.type)) this.o.logger.warn({ type: e.type, eventId: e.id }, 'unknown routing event dropped');
      plan.handled.push(e.id);
    }
    // Agents who lost a conversation here and are online may take one from the queue: the next batch hands it out.
    const freed = [...plan.released].filter((id) => this.assigner.isOnline(id)).map((agentId) => ({ type: 'capacity.freed', conversationId: NO_CONVERSATION, data: { agentId } }));
    const written = await writePlan(client, plan, freed);
    return { plan, written, claimed: events.length };
  }

  /**
   * After COMMIT: the new lines to the agents viewing each conversation, and one
   * conversation.updated per conversation to its inbox, however many lines it got.
   */
  private publish({ plan, written }: RoutedBatch): void {
    for (const m of written.messages) {
      // Without the conversation: it follows once, as conversation.updated, however many lines it got.
      this.o.events.emit({ type: 'message.created', inboxId: m.inboxId, conversationId: m.conversationId, message: m, audience: 'viewers' });
    }
    const viewOf = new Map(written.conversations.map((v) => [v.id, v]));
    for (const { subject, what } of plan.changes.values()) {
      const view = viewOf.get(subject.id);
      if (view) this.o.events.emit({ type: 'conversation.updated', inboxId: view.inbox.id, conversation: view, changes: [...what] });
    }
    for (const n of plan.notices) this.o.events.emit(n);
    const replies = plan.messages.filter((m) => m.deliveryStatus === 'queued');
    if (replies.length) {
      void this.o.queue
        .addBulk<OutboundJob>(QUEUES.outbound, replies.map((m) => ({ name: 'send', data: { messageId: m.id }, options: { jobId: `out-${m.id}` } })))
        .catch((err: unknown) => this.o.logger.warn({ err }, 'could not queue automatic replies; the sweeper will'));
    }
  }

  /** An event that failed on its own: retried later with a growing pause, kept aside after MAX_ATTEMPTS. */
  private async failed(id: string, err: unknown): Promise<void> {
    const message = errorMessage(err);
    const { rows } = await this.o.db.pool.query<{ attempts: number; type: string; conversation_id: string; data: unknown }>(
      `UPDATE routing_events SET attempts = attempts + 1, last_error = $2, claimed_until = now() + least(power(2, attempts), 300) * interval '1 second'
        WHERE id = $1 RETURNING attempts, type, conversation_id, data`,
      [id, message],
    );
    const row = rows[0];
    this.o.logger.warn({ err: message, eventId: id, type: row?.type, conversationId: row?.conversation_id, attempts: row?.attempts }, 'routing event failed; it will be retried');
    if (row && row.attempts >= MAX_ATTEMPTS) {
      await this.o.db.pool.query(
        `WITH gone AS (DELETE FROM routing_events WHERE id = $1 RETURNING id)
         INSERT INTO failed_jobs (queue, job_id, name, data, error, attempts) SELECT 'routing', id::text, $2, $3, $4, $5 FROM gone`,
        [id, row.type, { conversationId: row.conversation_id, ...(row.data as object) }, message, row.attempts],
      );
      this.o.logger.error({ eventId: id, type: row.type }, 'routing event failed every attempt: kept in failed_jobs');
    }
  }
}
