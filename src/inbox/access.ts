// Who may see what: admins see every inbox; everyone else sees the inboxes they are a
// member of. Anything outside that answers 404, not 403, so its existence is not revealed.
import type { Prisma, PrismaClient } from '../platform/db/client';
import { NotFoundError } from '../platform/errors';
import { isUuid } from '../platform/ttl-cache';
import type { SessionAgent } from './agents/sessions';

export class Access {
  constructor(private readonly prisma: PrismaClient) {}

  /** 'all' for admins, else the ids of the agent's inboxes. */
  async inboxIds(agent: SessionAgent): Promise<'all' | string[]> {
    if (agent.role === 'admin') return 'all';
    const rows = await this.prisma.inboxMember.findMany({ where: { agentId: agent.id }, select: { inboxId: true } });
    return rows.map((r) => r.inboxId);
  }

  async conversationWhere(agent: SessionAgent): Promise<Prisma.ConversationWhereInput> {
    const ids = await this.inboxIds(agent);
    return ids === 'all' ? {} : { inboxId: { in: ids } };
  }

  async canSeeInbox(agent: SessionAgent, inboxId: string): Promise<boolean> {
    const ids = await this.inboxIds(agent);
    return ids === 'all' || ids.includes(inboxId);
  }

  /** The conversation's inbox id, or 404 when it does not exist or is not the agent's to see. */
  async conversation(agent: SessionAgent, id: string): Promise<{ id: string; inboxId: string; contactId: string }> {
    const c = isUuid(id) ? await this.prisma.conversation.findUnique({ where: { id }, select: { id: true, inboxId: true, contactId: true } }) : null;
    if (!c || !(await this.canSeeInbox(agent, c.inboxId))) throw new NotFoundError('Conversation');
    return c;
  }
}
