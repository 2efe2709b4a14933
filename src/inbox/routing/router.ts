// Executes routing. src/routing decides (rules, assignment, SLA, escalation: pure); this
// drains the routing outbox (routing_events, written in the same transactions as what
// happened), builds what the rules look at, runs the actions through the inbox's own
// services, and records every firing on the conversation.
//
// At least once: an event is claimed for a minute, handled, then deleted; a worker that dies
// mid-way leaves it to be claimed again. Actions are guarded so that a second run changes
// nothing (one acknowledgement per period, assignment only when unassigned, escalation
// cool-down).
import type { Database, Prisma } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { QueueBackend } from '../../platform/queue';
import { acknowledgementText, DEFAULT_ACKNOWLEDGEMENT } from '../../routing/acknowledgement';
import { chooseAgent, type Candidate } from '../../routing/assignment';
import { isOpen } from '../../routing/business-hours';
import { inboxRoutingOf } from '../../routing/inbox-settings';
import { ESCALATED_PRIORITY, PING_PONG_WINDOW_MS, planEscalation } from '../../routing/escalation';
import { matchingRules, MESSAGE_RULE_EVENTS, type Rule, type RuleAction, type RuleContext, type RuleEvent } from '../../routing/rules';
import type { Actor, ConversationActions } from '../conversations/actions';
import type { InboxEventBus } from '../events';
import type { Replies } from '../messages/reply';
import { QUEUES } from '../queues';
import type { RoutingRules, SlaPolicies } from './sla-policies';

/** Risk at or above this, reached by a message that raised it, is a "risk.rising" event. */
export const RISK_RISING_THRESHOLD = 0.6;
/** Repeat contact: another conversation of the same contact and complaint type resolved this recently. */
const REPEAT_WINDOW_MS = 7 * 24 * 3_600_000;
// Long enough for any event (milliseconds as a rule), short enough that a dead worker's claims come back soon.
const CLAIM_MS = 15_000;
const ACK_TOPIC_MIN_CONFIDENCE = 0.5;
/** Conversations routed at once by one worker (each holds a database connection at a time). */
const PARALLEL_CONVERSATIONS = 16;
/** How old the agents-and-loads snapshot of assignment may be. */
const POOL_TTL_MS = 1_000;

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(lanes);
}

export interface RouterOptions {
  db: Database;
  queue: QueueBackend;
  events: InboxEventBus;
  actions: ConversationActions;
  replies: Replies;
  rules: RoutingRules;
  slaPolicies: SlaPolicies;
  logger: Logger;
  now?: () => Date;
}

/** The rule context as one row: the fields read straight from the database, and what is derived from them. */
type ContextRow = Omit<RuleContext, 'event' | 'text' | 'businessHours' | 'automated'> & { routing: unknown; text: string | null; metadata: unknown };

interface OutboxRow {
  id: string;
  /** Times it was claimed before this one: more than zero after a crash or an error. */
  attempts_before: number;
  type: string;
  conversation_id: string;
  message_id: string | null;
  data: Record<string, unknown>;
}

export class Router {
  private readonly now: () => Date;
  private draining?: Promise<number>;
  private deciding: Promise<void> = Promise.resolve();
  private snapshot?: { at: number; agents: Candidate[] };
  private again = false;

  constructor(private readonly o: RouterOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** Asks a worker to drain the outbox soon (deduplicated while one is waiting). */
  async kick(): Promise<void> {
    await this.o.queue.add(QUEUES.routing, 'drain', {}, { jobId: `drain-${Date.now()}` }).catch((err: unknown) => this.o.logger.warn({ err }, 'could not queue routing; the sweeper will'));
  }

  /** Handles every unclaimed routing event, oldest first; returns how many. */
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
          const batch = await this.claim(200);
          if (!batch.length) break;
          // One conversation's events in order; different conversations side by side.
          const byConversation = new Map<string, OutboxRow[]>();
          for (const e of batch) byConversation.set(e.conversation_id, [...(byConversation.get(e.conversation_id) ?? []), e]);
          const handled: string[] = [];
          await inParallel([...byConversation.values()], PARALLEL_CONVERSATIONS, async (events) => {
            for (const e of events) if (await this.handleOne(e)) handled.push(e.id);
          });
          // Handled rows go in one statement; a crash before it only repeats guarded work.
          if (handled.length) await this.o.db.pool.query('DELETE FROM routing_events WHERE id = ANY($1::bigint[])', [handled]);
          total += batch.length;
        }
      } while (this.again);
      return total;
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async claim(limit: number): Promise<OutboxRow[]> {
    const { rows } = await this.o.db.pool.query<OutboxRow>(
      `UPDATE routing_events SET claimed_until = now() + $2 * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (SELECT id FROM routing_events WHERE claimed_until IS NULL OR claimed_until < now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text, attempts - 1 AS attempts_before, type, conversation_id, message_id, data`,
      [limit, CLAIM_MS],
    );
    return rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  /** Answers whether the event was handled (and its row may go). */
  private async handleOne(e: OutboxRow): Promise<boolean> {
    try {
      await this.handle(e);
      return true;
    } catch (err) {
      this.o.logger.warn({ err: errorMessage(err), event: e.type, conversationId: e.conversation_id }, 'routing event failed; it will be retried');
      await this.o.db.pool.query(`UPDATE routing_events SET last_error = $2, claimed_until = now() + interval '30 seconds' WHERE id = $1`, [e.id, errorMessage(err)]);
      return false;
    }
  }

  async handle(e: OutboxRow): Promise<void> {
    switch (e.type) {
      case 'message.created': {
        // No rule listens: nothing to load (a fresh installation without rules, or all turned off).
        if (!(await this.o.rules.listenTo(MESSAGE_RULE_EVENTS))) return;
        const ctx = await this.context(e.conversation_id, 'message.created', e.message_id, e.data);
        if (!ctx) return;
        const events: RuleEvent[] = ['message.created'];
        if (e.data.createdConversation) events.unshift('conversation.created');
        const previous = typeof e.data.previousRisk === 'number' ? e.data.previousRisk : 0;
        if ((ctx.risk ?? 0) >= RISK_RISING_THRESHOLD && (ctx.risk ?? 0) > previous) events.push('risk.rising');
        for (const event of events) await this.runRules({ ...ctx, event }, e, e.message_id);
        return;
      }
      case 'sla.warning':
      case 'sla.breach': {
        if (!(await this.o.rules.listenTo([e.type]))) return;
        const ctx = await this.context(e.conversation_id, e.type, null, e.data);
        if (ctx) await this.runRules(ctx, e, null);
        return;
      }
      case 'capacity.freed':
        this.snapshot = undefined; // loads changed: decide on fresh ones
        await this.assignWaiting(typeof e.data.agentId === 'string' ? e.data.agentId : null);
        return;
      case 'agent.offline':
        this.snapshot = undefined;
        await this.requeueAgent(String(e.data.agentId));
        return;
      case 'agent.online':
        this.snapshot = undefined;
        await this.assignWaiting(String(e.data.agentId));
        return;
      default:
        this.o.logger.warn({ type: e.type }, 'unknown routing event dropped');
    }
  }

  /**
   * Runs the matching rules. A rule's firing is recorded once its actions are done, keyed by
   * the outbox event: an event handled again after a crash skips the rules it completed and
   * repeats only the one it was in the middle of (whose actions are guarded).
   */
  private async runRules(ctx: RuleContext, e: OutboxRow, messageId: string | null): Promise<void> {
    const conversationId = e.conversation_id;
    const rules = matchingRules(await this.o.rules.all(), ctx);
    const done = new Set(
      e.attempts_before > 0
        ? (await this.o.db.prisma.auditEvent.findMany({ where: { type: 'rule.fired', conversationId, data: { path: ['outboxEventId'], equals: e.id } }, select: { data: true } })).map((a) => `${(a.data as { ruleId: string; event: string }).ruleId}/${(a.data as { event: string }).event}`)
        : [],
    );
    for (const rule of rules) {
      if (done.has(`${rule.id}/${ctx.event}`)) continue;
      const actor: Actor = { type: 'rule', name: rule.name };
      for (const action of rule.actions) await this.execute(action, rule, actor, conversationId, messageId);
      await this.o.db.prisma.auditEvent.create({ data: { type: 'rule.fired', conversationId, inboxId: ctx.inboxId, data: { rule: rule.name, ruleId: rule.id, event: ctx.event, messageId, outboxEventId: e.id } } });
    }
  }

  private async execute(a: RuleAction, rule: Rule, actor: Actor, conversationId: string, messageId: string | null): Promise<void> {
    switch (a.type) {
      case 'acknowledge':
        return this.acknowledge(actor, conversationId, messageId);
      case 'assign':
        await this.assign(actor, conversationId, a);
        return;
      case 'set_priority':
        return this.raisePriority(actor, conversationId, a.atLeast, `rule "${rule.name}"`);
      case 'add_label':
        await this.o.actions.addLabels(actor, conversationId, [a.label]);
        return;
      case 'escalate':
        return this.escalate(actor, conversationId, a.reason ?? rule.name);
      case 'notify':
        return this.notify(actor, conversationId, a.text ?? rule.name, 'rule');
      case 'snooze':
        await this.o.actions.setStatus(actor, conversationId, { status: 'snoozed', snoozedUntil: new Date(this.now().getTime() + a.minutes * 60_000), reason: rule.name });
        return;
      case 'resolve':
        await this.o.actions.setStatus(actor, conversationId, { status: 'resolved', reason: rule.name });
        return;
    }
  }

  /** What the rules look at. Null when the conversation is gone. */
  /** What the rules see, in one query (this runs for every customer message). Two shapes, so each uses its index. */
  private async context(conversationId: string, event: RuleEvent, messageId: string | null, data: Record<string, unknown>): Promise<RuleContext | null> {
    const { rows } = await this.o.db.pool.query<ContextRow>(
      `SELECT c.inbox_id AS "inboxId", i.kind::text AS channel, i.routing, c.type::text AS "conversationType", c.status::text AS status, c.priority,
              c.assignee_id IS NOT NULL AS assigned, c.team_id AS "teamId", c.sentiment_label AS sentiment, c.sentiment_score AS "sentimentScore",
              c.sentiment_slope AS "sentimentSlope", c.complaint_category AS "complaintCategory", c.escalation_risk AS risk,
              ct.customer_value AS "customerValue", ct.tier,
              COALESCE((SELECT array_agg(l.name) FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = c.id), '{}') AS labels,
              m.text, m.metadata, s.language,
              (c.complaint_category IS NOT NULL AND EXISTS (
                 SELECT 1 FROM conversations o WHERE o.contact_id = c.contact_id AND o.id <> c.id AND o.complaint_category = c.complaint_category
                    AND (o.status <> 'resolved' OR o.resolved_at >= $3))) AS "repeatContact"
         FROM conversations c
         JOIN inboxes i ON i.id = c.inbox_id
         JOIN contacts ct ON ct.id = c.contact_id
         LEFT JOIN LATERAL (
           SELECT m.id, m.text, m.metadata FROM messages m
            WHERE ${messageId ? 'm.id = $2::uuid' : "m.conversation_id = c.id AND m.direction = 'inbound' AND $2::uuid IS NULL"}
            ORDER BY m.sent_at DESC LIMIT 1) m ON true
         LEFT JOIN message_signals s ON s.message_id = m.id
        WHERE c.id = $1`,
      [conversationId, messageId, new Date(this.now().getTime() - REPEAT_WINDOW_MS)],
    );
    const c = rows[0];
    if (!c) return null;
    const { routing, metadata, text, ...row } = c;
    return {
      ...row,
      event,
      text: text ?? '',
      businessHours: isOpen(inboxRoutingOf(routing).businessHours ?? null, this.now()) ? 'open' : 'closed',
      automated: data.automated === true || (metadata as { automated?: boolean } | null)?.automated === true,
    };
  }

  private async acknowledge(actor: Actor, conversationId: string, messageId: string | null): Promise<void> {
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      include: { inbox: { select: { routing: true } }, contact: { select: { name: true, identities: { select: { optedOut: true } } } } },
    });
    const routing = inboxRoutingOf(c.inbox.routing);
    const settings = { ...DEFAULT_ACKNOWLEDGEMENT, ...routing.acknowledgement };
    if (!settings.enabled) return;
    // Loop safety: never answer a machine, never write to someone who opted out.
    if (messageId) {
      const m = await this.o.db.prisma.message.findUnique({ where: { id: messageId }, select: { metadata: true } });
      if ((m?.metadata as { automated?: boolean } | undefined)?.automated) return;
    }
    if (c.contact.identities.some((i) => i.optedOut)) return;
    const now = this.now();
    // At most once per period, whichever worker gets here first.
    const { rowCount } = await this.o.db.pool.query(
      `UPDATE conversations SET acknowledged_at = $2 WHERE id = $1 AND (acknowledged_at IS NULL OR acknowledged_at < $2::timestamptz - $3 * interval '1 minute')`,
      [conversationId, now, settings.periodMinutes],
    );
    if (!rowCount) return;
    const signal = messageId ? await this.o.db.prisma.messageSignal.findUnique({ where: { messageId }, select: { language: true, complaintCategory: true, complaintConfidence: true } }) : null;
    // Name the subject only when the analysis is fairly sure of it; a wrong guess reads worse than none.
    const topic = signal && (signal.complaintConfidence ?? 0) >= ACK_TOPIC_MIN_CONFIDENCE ? signal.complaintCategory : null;
    const queueAhead = await this.o.db.prisma.conversation.count({ where: { inboxId: c.inboxId, status: 'open', waitingSince: { not: null }, priority: { gt: c.priority } } });
    const policy = c.slaPolicyId ? (await this.o.slaPolicies.all()).find((p) => p.id === c.slaPolicyId) : undefined;
    // Expected wait: the response due time when there is one, else ten minutes per conversation ahead.
    const due = c.firstResponseDueAt ?? c.nextResponseDueAt;
    const expected = due ? Math.max(5, (due.getTime() - now.getTime()) / 60_000) : Math.max(10, queueAhead * 10);
    const text = acknowledgementText({
      name: c.contact.name, reference: c.reference, complaintCategory: topic, language: signal?.language ?? null, now,
      businessHours: routing.businessHours ?? policy?.businessHours ?? null, expectedWaitMinutes: expected, settings,
    });
    await this.o.replies.automatic(conversationId, { text, reason: actorName(actor), metadata: { acknowledgement: true, autoSubmitted: 'auto-replied' } });
    await this.o.actions.record(actor, conversationId, { text: `Acknowledged automatically by ${actorName(actor)}`, kind: 'acknowledged', data: {} });
  }

  private async candidates(): Promise<Candidate[]> {
    const agents = await this.o.db.prisma.agent.findMany({
      select: { id: true, role: true, availability: true, capacity: true, lastAssignedAt: true, skills: true, languages: true, teams: { select: { teamId: true } }, inboxes: { select: { inboxId: true } } },
    });
    const loads = await this.o.db.prisma.conversation.groupBy({ by: ['assigneeId'], where: { status: 'open', assigneeId: { not: null } }, _count: { _all: true } });
    const loadOf = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
    return agents.map((a) => ({
      id: a.id, role: a.role, availability: a.availability, capacity: a.capacity, lastAssignedAt: a.lastAssignedAt, skills: a.skills, languages: a.languages,
      teamIds: a.teams.map((t) => t.teamId), inboxIds: a.inboxes.map((i) => i.inboxId), openLoad: loadOf.get(a.id) ?? 0,
    }));
  }

  /**
   * The agents and their loads for assignment decisions. Decisions are made one at a time in
   * this process on this snapshot, each counted into it at once, so that decisions stay
   * microseconds while the writes that follow run side by side; the snapshot is reloaded
   * from the database every second (other workers' assignments, resolves, availability).
   */
  private async pool(): Promise<Candidate[]> {
    if (this.snapshot && Date.now() - this.snapshot.at < POOL_TTL_MS) return this.snapshot.agents;
    this.snapshot = { at: Date.now(), agents: await this.candidates() };
    return this.snapshot.agents;
  }

  /** Assigns to the best available agent; leaves it in the queue when nobody has room. */
  private async assign(actor: Actor, conversationId: string, a: Extract<RuleAction, { type: 'assign' }>, o: { exclude?: string[]; reason?: string } = {}): Promise<boolean> {
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { inbox: { select: { kind: true, routing: true } }, messages: { where: { direction: 'inbound' }, orderBy: { sentAt: 'desc' }, take: 1, select: { signal: { select: { language: true } } } } } });
    if (c.status !== 'open') return false;
    if (c.assigneeId && !o.exclude?.includes(c.assigneeId)) return false;
    let agentId = a.agentId ?? null;
    if (!agentId) {
      const routing = inboxRoutingOf(c.inbox.routing);
      const need = {
        inboxId: c.inboxId, teamId: a.teamId ?? c.teamId, skill: a.skill, language: c.messages[0]?.signal?.language ?? null, channel: c.inbox.kind,
        strategy: a.strategy ?? routing.assignment?.strategy ?? 'balanced', exclude: o.exclude,
      } as const;
      // One decision at a time in this process: two at once would both see the same loads.
      const decided = this.deciding.then(async () => {
        let chosen = chooseAgent(await this.pool(), need);
        if (!chosen && this.snapshot && Date.now() - this.snapshot.at > 100) {
          // Nobody fits the snapshot: look again at the database (an agent just added or freed) before queueing.
          this.snapshot = undefined;
          chosen = chooseAgent(await this.pool(), need);
        }
        if (chosen) {
          chosen.openLoad++;
          chosen.lastAssignedAt = this.now();
        }
        return chosen?.id ?? null;
      });
      this.deciding = decided.then(() => undefined, () => undefined);
      agentId = await decided;
      if (!agentId) return false;
    }
    await this.o.db.prisma.agent.update({ where: { id: agentId }, data: { lastAssignedAt: this.now() } });
    await this.o.actions.assign(actor, conversationId, { assigneeId: agentId, ...(a.teamId ? { teamId: a.teamId } : {}), reason: o.reason });
    return true;
  }

  /** An agent has room again (or came online): give them the highest-priority waiting conversations. */
  async assignWaiting(agentId: string | null): Promise<number> {
    const waiting = await this.o.db.prisma.conversation.findMany({
      where: { status: 'open', assigneeId: null, waitingSince: { not: null } },
      orderBy: [{ priority: 'desc' }, { waitingSince: 'asc' }],
      select: { id: true },
      take: 200,
    });
    let assigned = 0;
    for (const w of waiting) {
      const ok = await this.assign({ type: 'system', name: 'assignment' }, w.id, { type: 'assign', strategy: 'balanced' }, { reason: agentId ? 'capacity freed up' : 'queue' });
      if (ok) assigned++;
    }
    return assigned;
  }

  /** An agent went offline: their open conversations go back to the queue and on to others. */
  async requeueAgent(agentId: string): Promise<void> {
    const open = await this.o.db.prisma.conversation.findMany({ where: { assigneeId: agentId, status: 'open' }, select: { id: true } });
    for (const c of open) {
      const moved = await this.assign({ type: 'system', name: 'assignment' }, c.id, { type: 'assign', strategy: 'balanced' }, { exclude: [agentId], reason: 'the assignee went offline' });
      if (!moved) await this.o.actions.assign({ type: 'system', name: 'assignment' }, c.id, { assigneeId: null, reason: 'the assignee went offline; back in the queue' });
    }
  }

  private async raisePriority(actor: Actor, conversationId: string, atLeast: number, why: string): Promise<void> {
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { priority: true, priorityFloor: true, waitingSince: true, priorityReason: true } });
    if (c.priorityFloor >= atLeast && c.priority >= atLeast) return;
    const reason = (c.priorityReason ?? {}) as { factors?: unknown[] };
    const raised = c.waitingSince ? Math.max(c.priority, atLeast) : c.priority;
    await this.o.actions.record(
      actor,
      conversationId,
      { text: `Priority raised to at least ${atLeast} by ${why}`, kind: 'priority_raised', data: { atLeast } },
      {
        priorityFloor: Math.max(c.priorityFloor, atLeast),
        priority: raised,
        priorityReason: { ...reason, factors: [{ factor: 'urgency', points: Math.max(0, raised - c.priority), detail: `raised to at least ${atLeast} by ${why}` }, ...(reason.factors ?? [])] } as Prisma.InputJsonValue,
      },
      ['priority'],
    );
  }

  private async escalate(actor: Actor, conversationId: string, why: string): Promise<void> {
    const now = this.now();
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { inbox: { select: { routing: true } } } });
    const recentAssignments = await this.o.db.prisma.auditEvent.count({ where: { conversationId, type: 'conversation.assigned', createdAt: { gte: new Date(now.getTime() - PING_PONG_WINDOW_MS) } } });
    const plan = planEscalation({ level: c.escalationLevel, lastEscalatedAt: c.escalatedAt, recentAssignments, priority: c.priority }, now);
    if (plan.held === 'cooling-down') {
      // Escalated moments ago: note why it would have escalated again, change nothing.
      await this.o.db.prisma.auditEvent.create({ data: { type: 'conversation.escalation_held', conversationId, inboxId: c.inboxId, data: { reason: why, held: plan.held } } });
      return;
    }
    await this.raisePriority(actor, conversationId, ESCALATED_PRIORITY, `escalation (${why})`);
    const routing = inboxRoutingOf(c.inbox.routing);
    let where: string;
    if (plan.reassign) {
      const team = routing.escalationTeamId;
      const exclude = c.assigneeId ? [c.assigneeId] : [];
      const moved = team
        ? await this.assign(actor, conversationId, { type: 'assign', strategy: 'balanced', teamId: team }, { exclude, reason: `escalated: ${why}` })
        : await this.assignToSupervisor(actor, conversationId, exclude, why);
      if (team && !moved) await this.o.actions.assign(actor, conversationId, { teamId: team, reason: `escalated: ${why}` });
      where = team ? 'moved to second line' : moved ? 'handed to a supervisor' : 'no supervisor available: supervisors notified';
    } else {
      where = `kept with its assignee: it changed hands ${recentAssignments} times in the last hour (ping-pong guard); supervisors notified`;
    }
    await this.o.actions.record(actor, conversationId, { text: `Escalated because ${why}: ${where}`, kind: 'escalated', data: { reason: why, level: plan.level, held: plan.held ?? null } }, { escalationLevel: plan.level, escalatedAt: now }, ['escalation']);
    if (!plan.reassign || where.includes('notified')) await this.notify(actor, conversationId, `Escalation: ${why}`, 'escalation');
    // Always, for the alert channels (a Slack channel of the team), whoever took it.
    this.o.events.emit({ type: 'conversation.escalated', inboxId: c.inboxId, conversationId, text: `#${c.reference}: Escalation: ${why} (${where})` });
  }

  private async assignToSupervisor(actor: Actor, conversationId: string, exclude: string[], why: string): Promise<boolean> {
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { inboxId: true } });
    const supervisors = (await this.candidates()).filter((a) => a.role === 'supervisor' || a.role === 'admin');
    // A supervisor takes escalations over capacity: escalations must land somewhere.
    const chosen = chooseAgent(supervisors.map((s) => ({ ...s, capacity: Math.max(s.capacity, s.openLoad + 1) })), { inboxId: c.inboxId, strategy: 'balanced', exclude });
    if (!chosen) return false;
    await this.o.db.prisma.agent.update({ where: { id: chosen.id }, data: { lastAssignedAt: this.now() } });
    await this.o.actions.assign(actor, conversationId, { assigneeId: chosen.id, reason: `escalated: ${why}` });
    return true;
  }

  /** In-app notification to the conversation's inbox room and the supervisors. */
  private async notify(actor: Actor, conversationId: string, text: string, kind: 'escalation' | 'rule'): Promise<void> {
    const c = await this.o.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { inboxId: true, reference: true } });
    this.o.events.emit({ type: 'notification', inboxId: c.inboxId, conversationId, text: `#${c.reference}: ${text}`, from: actorName(actor), kind });
  }
}

const actorName = (a: Actor) => (a.type === 'rule' ? `rule "${a.name}"` : a.type === 'agent' ? a.name : (a.name ?? 'the system'));
