// Remedies: what was done to put a complaint right, logged on its conversation with amount and
// currency. A remedy above the giver's role limit waits for someone whose limit covers it
// (supervisors, admins); approved, it moves the case to "remedied".
import type { Database, RemedyType } from '../../platform/db/client';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors';
import type { AppConfig } from '../../platform/config';
import type { Actor, ConversationActions } from '../conversations/actions';
import type { ConversationView } from '../views';
import { isLater } from './cases';

export interface RemedyInput {
  type: RemedyType;
  amount?: number;
  currency?: string;
  note?: string;
}

/** The largest amount this agent may give without approval (null: any). */
export async function remedyLimit(db: Database, config: AppConfig, agentId: string): Promise<number | null> {
  const a = await db.prisma.agent.findUniqueOrThrow({ where: { id: agentId }, select: { role: true, customRole: { select: { remedyLimit: true } } } });
  if (a.customRole) return a.customRole.remedyLimit;
  return a.role === 'admin' ? null : a.role === 'supervisor' ? config.REMEDY_LIMIT_SUPERVISOR : config.REMEDY_LIMIT_AGENT;
}

const money = (amount: number | null | undefined, currency: string | null | undefined) => (amount != null ? ` ${amount.toFixed(2)}${currency ? ` ${currency}` : ''}` : '');

export class Remedies {
  constructor(private readonly o: { db: Database; config: AppConfig; actions: ConversationActions }) {}

  async log(actor: Actor & { type: 'agent' }, conversationId: string, input: RemedyInput): Promise<{ remedyId: string; status: 'approved' | 'pending_approval'; conversation: ConversationView }> {
    const limit = await remedyLimit(this.o.db, this.o.config, actor.id);
    const needsApproval = input.amount != null && limit !== null && input.amount > limit;
    let remedyId = '';
    const conversation = await this.o.actions.recordWith(actor, conversationId, ['complaintStage'], async (tx) => {
      const c = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { complaintStage: true, complaintOpenedAt: true } });
      const made = await tx.remedy.create({
        data: { conversationId, type: input.type, amount: input.amount ?? null, currency: input.currency ?? null, note: input.note ?? null, agentId: actor.id, status: needsApproval ? 'pending_approval' : 'approved', approvedBy: needsApproval ? null : actor.id, decidedAt: needsApproval ? null : new Date() },
        select: { id: true },
      });
      remedyId = made.id;
      const stage = !needsApproval && isLater('remedied', c.complaintStage) ? 'remedied' : c.complaintStage;
      return {
        activity: {
          text: `${needsApproval ? 'Remedy awaiting approval' : 'Remedy'}: ${input.type}${money(input.amount, input.currency)}${needsApproval ? ` (above ${actor.name}'s limit of ${limit})` : ''}`,
          kind: 'remedy',
          data: { remedyId: made.id, type: input.type, amount: input.amount ?? null, currency: input.currency ?? null, status: needsApproval ? 'pending_approval' : 'approved' },
        },
        data: { complaintStage: stage ?? 'remedied', complaintOpenedAt: c.complaintOpenedAt ?? new Date() },
      };
    });
    return { remedyId, status: needsApproval ? 'pending_approval' : 'approved', conversation };
  }

  /** Approves or rejects a remedy waiting for approval: the decider's own limit must cover it. */
  async decide(actor: Actor & { type: 'agent' }, remedyId: string, approve: boolean): Promise<ConversationView> {
    const remedy = await this.o.db.prisma.remedy.findUnique({ where: { id: remedyId } });
    if (!remedy) throw new NotFoundError('Remedy');
    if (remedy.status !== 'pending_approval') throw new ConflictError(`This remedy is ${remedy.status.replace('_', ' ')} already`);
    const limit = await remedyLimit(this.o.db, this.o.config, actor.id);
    if (approve && remedy.amount != null && limit !== null && remedy.amount > limit) throw new ForbiddenError(`Approving ${remedy.amount} is above your limit of ${limit}`);
    return this.o.actions.recordWith(actor, remedy.conversationId, ['complaintStage'], async (tx) => {
      // Decided once: a second approver finds it decided.
      const { count } = await tx.remedy.updateMany({ where: { id: remedyId, status: 'pending_approval' }, data: { status: approve ? 'approved' : 'rejected', approvedBy: actor.id, decidedAt: new Date() } });
      if (!count) throw new ConflictError('This remedy was decided meanwhile');
      const c = await tx.conversation.findUniqueOrThrow({ where: { id: remedy.conversationId }, select: { complaintStage: true } });
      return {
        activity: { text: `Remedy ${approve ? 'approved' : 'rejected'}: ${remedy.type}${money(remedy.amount, remedy.currency)}`, kind: 'remedy', data: { remedyId, status: approve ? 'approved' : 'rejected' } },
        data: approve && isLater('remedied', c.complaintStage) ? { complaintStage: 'remedied' } : {},
      };
    });
  }
}
