// Bulk actions over up to 500 selected conversations — assign, label, open, pending, resolve,
// snooze, or a macro — run in the background with their progress kept on a row the app polls.
// Each conversation gets the whole action or none of it (a macro's rule), with its own
// activity line and audit line; those it could not do are listed with the reason.
import { z } from 'zod';
import { errorMessage, NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import type { SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';
import { applyActions, macroActionSchema, type MacroAction } from './actions';

export const MAX_BULK = 500;
const PARALLEL = 4;

export const bulkActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), assigneeId: z.union([z.uuid(), z.literal('me')]).nullable().optional(), teamId: z.uuid().nullable().optional() }).strict(),
  z.object({ type: z.literal('label'), labels: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }).strict(),
  z.object({ type: z.enum(['open', 'pending', 'resolve']) }).strict(),
  z.object({ type: z.literal('snooze'), until: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ type: z.literal('macro'), macroId: z.uuid() }).strict(),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const macroActionsSchema = z.array(macroActionSchema).min(1).max(20);

/** The macro actions a bulk action is, and its name for the activity lines. */
async function actionsOf(s: InboxServices, a: BulkAction): Promise<{ actions: MacroAction[]; name?: string }> {
  switch (a.type) {
    case 'assign':
      return {
        actions: [
          ...(a.assigneeId !== undefined ? [{ type: 'assignAgent' as const, agentId: a.assigneeId }] : []),
          ...(a.teamId !== undefined ? [{ type: 'assignTeam' as const, teamId: a.teamId }] : []),
        ],
      };
    case 'label':
      return { actions: [{ type: 'addLabels', labels: a.labels }] };
    case 'open':
    case 'pending':
    case 'resolve':
      return { actions: [{ type: 'setStatus', status: a.type === 'resolve' ? 'resolved' : a.type }] };
    case 'snooze':
      return { actions: [{ type: 'setStatus', status: 'snoozed', snoozeMinutes: Math.max(1, Math.ceil((Date.parse(a.until) - s.clock().getTime()) / 60_000)) }] };
    case 'macro': {
      const m = await s.db.prisma.macro.findUnique({ where: { id: a.macroId } });
      if (!m) throw new NotFoundError('Macro');
      return { actions: macroActionsSchema.parse(m.actions), name: m.name };
    }
  }
}

export class BulkOperations {
  constructor(private readonly s: InboxServices) {}

  /** Starts the action over the conversations; answers the operation to poll. */
  async start(caller: SessionAgent, conversationIds: string[], action: BulkAction): Promise<{ id: string; total: number }> {
    const { actions, name } = await actionsOf(this.s, action);
    const ids = [...new Set(conversationIds)];
    const visible = new Set(
      (await this.s.db.prisma.conversation.findMany({ where: { AND: [await this.s.access.conversationWhere(caller), { id: { in: ids } }] }, select: { id: true } })).map((c) => c.id),
    );
    const op = await this.s.db.prisma.bulkOperation.create({ data: { agentId: caller.id, action: action as object, total: ids.length } });
    void this.run(op.id, caller, ids, visible, actions, name);
    return { id: op.id, total: ids.length };
  }

  private async run(id: string, caller: SessionAgent, ids: string[], visible: Set<string>, actions: MacroAction[], name?: string): Promise<void> {
    const errors: Array<{ conversationId: string; error: string }> = [];
    let done = 0;
    const save = (status = 'running') =>
      this.s.db.prisma.bulkOperation.update({ where: { id }, data: { done, failed: errors.length, errors: errors.slice(0, 500), status, ...(status !== 'running' ? { finishedAt: new Date() } : {}) } });
    const queue = [...ids];
    const work = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          if (!visible.has(next)) throw new NotFoundError('Conversation');
          await applyActions(this.s, caller, next, actions, { name });
          done++;
        } catch (err) {
          errors.push({ conversationId: next, error: errorMessage(err) });
        }
        if ((done + errors.length) % 25 === 0) await save();
      }
    };
    try {
      await Promise.all(Array.from({ length: PARALLEL }, work));
      await save('done');
    } catch (err) {
      this.s.logger.error({ err: errorMessage(err), operation: id }, 'a bulk operation stopped');
      await save('failed').catch(() => undefined);
    }
    this.s.logger.info({ operation: id, done, failed: errors.length }, 'bulk operation finished');
  }

  async get(caller: SessionAgent, id: string) {
    const op = isUuid(id) ? await this.s.db.prisma.bulkOperation.findUnique({ where: { id } }) : null;
    if (!op || (op.agentId !== caller.id && !(await this.s.access.can(caller, 'settings.manage')))) throw new NotFoundError('Bulk operation');
    return op;
  }
}
