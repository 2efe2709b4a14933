// What agents (and rules) do to a conversation: assign, change status, label. Each change
// writes an activity line into the conversation's timeline and an audit event, in the same
// transaction, then emits conversation.updated.
import { queryableOf, type ConversationStatus, type Database, type Prisma, type Tx } from '../../platform/db/client';
import { ValidationError } from '../../platform/errors';
import type { InboxEventBus } from '../events';
import { loadConversationView, loadMessageView, type ConversationView } from '../views';
import { actorLabel, assignmentActivity, statusChange, type Activity, type Actor, type StatusInput } from './state/transitions';
import { writeOneConversationState, type ConversationStateColumns, type StateField } from './state/write';

export { actorLabel, type Activity, type Actor, type StatusInput } from './state/transitions';

export interface AssignInput {
  assigneeId?: string | null;
  teamId?: string | null;
  reason?: string;
}

export interface AnalysisCorrectionInput {
  sentiment?: 'negative' | 'neutral' | 'positive';
  complaintCategory?: string;
}

/** A corrected sentiment's score on the conversation: the middle of its label's range. */
const SCORE_OF_LABEL = { negative: -0.6, neutral: 0, positive: 0.6 } as const;

export class ConversationActions {
  constructor(
    private readonly db: Database,
    private readonly events: InboxEventBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async assign(actor: Actor, conversationId: string, input: AssignInput): Promise<ConversationView> {
    return present(await this.change(conversationId, ['assignee', 'team'], async (tx, c) => {
      const state: Partial<ConversationStateColumns> = {};
      let agent: { id: string; name: string } | null | undefined;
      let team: { id: string; name: string } | null | undefined;
      if (input.assigneeId !== undefined) {
        agent = null;
        if (input.assigneeId) {
          const found = await tx.agent.findUnique({ where: { id: input.assigneeId }, select: { id: true, name: true, role: true, active: true, customRole: { select: { visibility: true } }, inboxes: { where: { inboxId: c.inboxId } } } });
          if (!found) throw new ValidationError('That agent does not exist', [{ path: 'assigneeId', message: 'unknown agent' }]);
          if (!found.active) throw new ValidationError(`${found.name} is deactivated`, [{ path: 'assigneeId', message: 'deactivated' }]);
          // Outside their inboxes only someone who sees every inbox (an admin, or a custom role that does) may take it.
          const everywhere = found.customRole ? found.customRole.visibility === 'all' : found.role === 'admin';
          if (!everywhere && found.inboxes.length === 0) {
            throw new ValidationError(`${found.name} is not a member of this conversation's inbox`, [{ path: 'assigneeId', message: 'not a member of the inbox' }]);
          }
          agent = { id: found.id, name: found.name };
        }
        state.assigneeId = input.assigneeId;
      }
      if (input.teamId !== undefined) {
        team = null;
        if (input.teamId) {
          const found = await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true } });
          if (!found) throw new ValidationError('That team does not exist', [{ path: 'teamId', message: 'unknown team' }]);
          team = found;
        }
        state.teamId = input.teamId;
      }
      if (agent === undefined && team === undefined) throw new ValidationError('Nothing to change: give assigneeId and/or teamId');
      return { state, activity: assignmentActivity({ agent, team, reason: input.reason }, actor) };
    }, actor));
  }

  async setStatus(actor: Actor, conversationId: string, input: StatusInput): Promise<ConversationView> {
    return present(await this.change(conversationId, ['status'], async (_tx, c) => {
      const { fields, activity } = statusChange(c.status, input, actor, this.now());
      return { state: fields, activity };
    }, actor));
  }

  async addLabels(actor: Actor, conversationId: string, names: string[]): Promise<ConversationView> {
    return present(await this.change(conversationId, ['labels'], async (tx) => {
      const clean = [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))];
      for (const name of clean) {
        const label = await tx.label.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
        await tx.conversationLabel.upsert({
          where: { conversationId_labelId: { conversationId, labelId: label.id } },
          create: { conversationId, labelId: label.id },
          update: {},
        });
      }
      return { activity: { text: `Labelled ${clean.join(', ')} by ${actorLabel(actor)}`, kind: 'labelled', data: { added: clean } } };
    }, actor));
  }

  async removeLabel(actor: Actor, conversationId: string, name: string): Promise<ConversationView> {
    return present(await this.change(conversationId, ['labels'], async (tx) => {
      const label = await tx.label.findUnique({ where: { name: name.trim().toLowerCase() }, select: { id: true } });
      if (label) await tx.conversationLabel.deleteMany({ where: { conversationId, labelId: label.id } });
      return { activity: { text: `Label ${name} removed by ${actorLabel(actor)}`, kind: 'unlabelled', data: { removed: name } } };
    }, actor));
  }

  /**
   * An agent says the analysis was wrong about the customer's latest message. The
   * conversation shows the agent's answer at once, and the message becomes a labelled example
   * for the next `npm run train` (table analysis_corrections).
   */
  async correctAnalysis(actor: Actor & { type: 'agent' }, conversationId: string, input: AnalysisCorrectionInput): Promise<ConversationView> {
    return present(await this.change(conversationId, ['sentiment', 'complaintCategory'], async (tx) => {
      const latest = await tx.message.findFirst({
        where: { conversationId, direction: 'inbound' },
        orderBy: [{ sentAt: 'desc' }, { createdAt: 'desc' }],
        select: { id: true, signal: { select: { sentimentLabel: true, complaintCategory: true } } },
      });
      if (!latest) throw new ValidationError('This conversation has no customer message to correct');
      const current = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { sentimentLabel: true, complaintCategory: true } });
      const data: ConversationData = {};
      const parts: string[] = [];
      const rows: Prisma.AnalysisCorrectionCreateManyInput[] = [];
      if (input.sentiment) {
        data.sentimentLabel = input.sentiment;
        data.sentimentScore = SCORE_OF_LABEL[input.sentiment];
        parts.push(`sentiment ${current.sentimentLabel ?? 'none'} → ${input.sentiment}`);
        rows.push({ conversationId, messageId: latest.id, agentId: actor.id, task: 'sentiment', label: input.sentiment, previous: latest.signal?.sentimentLabel ?? null });
      }
      if (input.complaintCategory) {
        data.complaintCategory = input.complaintCategory;
        parts.push(`complaint type ${current.complaintCategory ?? 'none'} → ${input.complaintCategory}`);
        rows.push({ conversationId, messageId: latest.id, agentId: actor.id, task: 'complaint', label: input.complaintCategory, previous: latest.signal?.complaintCategory ?? null });
      }
      if (!rows.length) throw new ValidationError('Nothing to correct: give sentiment and/or complaintCategory');
      await tx.analysisCorrection.createMany({ data: rows });
      return {
        data,
        activity: { text: `Analysis corrected by ${actorLabel(actor)}: ${parts.join(', ')}`, kind: 'analysis_corrected', data: { messageId: latest.id, ...input } },
      };
    }, actor));
  }

  /** An activity line for something that happened to the conversation (linked, raised...), with the state it changed. */
  async record(actor: Actor, conversationId: string, activity: Activity, state: Partial<ConversationStateColumns> = {}, changes: string[] = []): Promise<ConversationView> {
    return present(await this.change(conversationId, changes, async () => ({ state, activity }), actor));
  }

  /**
   * A change of another module (complaint cases, remedies) made with the conversation locked,
   * in the transaction that writes its activity line: `build` does its own writes on `tx` and
   * answers the line, and any columns of the conversation to set.
   */
  async recordWith(
    actor: Actor,
    conversationId: string,
    changes: string[],
    build: (tx: Tx) => Promise<{ activity: Activity; data?: ConversationData; state?: Partial<ConversationStateColumns> }>,
  ): Promise<ConversationView> {
    return present(await this.change(conversationId, changes, (tx) => build(tx), actor));
  }

  /** A snooze that has run out: open again. Null when it is not due (any more): woken already, or re-snoozed. */
  async wake(conversationId: string, now: Date): Promise<ConversationView | null> {
    const actor: Actor = { type: 'system', name: 'the snooze timer' };
    return this.change(conversationId, ['status'], async (_tx, c) => {
      if (c.status !== 'snoozed' || !c.snoozedUntil || c.snoozedUntil > now) return null;
      return { state: { status: 'open', snoozedUntil: null }, activity: { text: 'Snooze ended: back in the open queue', kind: 'status', data: { to: 'open' } } };
    }, actor);
  }

  /**
   * Runs one change: lock, state (conversations/state/write.ts) and other columns, activity
   * line, audit, then events after commit. `build` returns null when there is nothing to do.
   */
  private async change(
    conversationId: string,
    changes: string[],
    build: (tx: Tx, c: LockedConversation) => Promise<{ state?: Partial<ConversationStateColumns>; data?: ConversationData; activity: Activity } | null>,
    actor: Actor,
  ): Promise<ConversationView | null> {
    const now = this.now();
    const done = await this.db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM conversations WHERE id = ${conversationId}::uuid FOR NO KEY UPDATE`;
      const c = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { inboxId: true, status: true, assigneeId: true, teamId: true, snoozedUntil: true } });
      const built = await build(tx, c);
      if (!built) return null;
      const { state = {}, data = {}, activity } = built;
      const message = await tx.message.create({
        data: {
          conversationId,
          inboxId: c.inboxId,
          direction: 'activity',
          senderType: actor.type === 'agent' ? 'agent' : 'system',
          agentId: actor.type === 'agent' ? actor.id : null,
          text: activity.text,
          metadata: { activity: activity.kind, actor, ...activity.data } as Prisma.InputJsonValue,
          sentAt: now,
        },
        select: { id: true },
      });
      await tx.auditEvent.create({
        data: {
          type: `conversation.${activity.kind}`,
          conversationId,
          inboxId: c.inboxId,
          agentId: actor.type === 'agent' ? actor.id : null,
          data: { actor, ...activity.data } as Prisma.InputJsonValue,
        },
      });
      await writeOneConversationState(queryableOf(tx), conversationId, state);
      if (Object.keys(data).length) await tx.conversation.update({ where: { id: conversationId }, data, select: { id: true } });
      const after = { status: state.status ?? c.status, assigneeId: state.assigneeId !== undefined ? state.assigneeId : c.assigneeId };
      // Routing hears when an agent's capacity frees up (resolved, snoozed, handed over).
      if (c.assigneeId && (after.status !== 'open' || after.assigneeId !== c.assigneeId)) {
        await tx.routingEvent.create({ data: { type: 'capacity.freed', conversationId, data: { agentId: c.assigneeId } } });
      }
      return { activityId: message.id, was: { teamId: c.teamId, assigneeId: c.assigneeId } };
    });
    if (!done) return null;
    const { activityId, was } = done;
    const [view, activity] = await Promise.all([loadConversationView(this.db.pool, conversationId), loadMessageView(this.db.pool, activityId)]);
    this.events.emit({ type: 'message.created', inboxId: view.inbox.id, conversationId, message: activity, conversation: view, audience: 'viewers' });
    this.events.emit({ type: 'conversation.updated', inboxId: view.inbox.id, conversation: view, changes, was });
    return view;
  }
}

interface LockedConversation {
  inboxId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  snoozedUntil: Date | null;
}

/** Columns an action may set besides the state (which only state/write.ts writes). */
export type ConversationData = Omit<Prisma.ConversationUncheckedUpdateInput, StateField>;

function present<T>(v: T | null): T {
  if (v === null) throw new Error('a change that always applies did not apply');
  return v;
}
