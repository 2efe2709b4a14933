import { NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import type { InboxServices } from '../services';
import { loadConversationViews } from '../views';
import type { AgentApi } from './auth';

export function contactRoutes(api: AgentApi, s: InboxServices): void {
  api.route(
    {
      method: 'get', path: '/contacts/:id', tag: 'contacts', auth: 'agent',
      summary: 'A contact, their identities on every channel, and all their conversations you can see',
      responses: { 404: 'No such contact in your inboxes' },
    },
    async ({ req, caller }) => {
      const id = String(req.params.id);
      const contact = isUuid(id) ? await s.db.prisma.contact.findUnique({ where: { id }, include: { identities: { orderBy: { createdAt: 'asc' } } } }) : null;
      if (!contact) throw new NotFoundError('Contact');
      const conversations = await s.db.prisma.conversation.findMany({
        where: { AND: [{ contactId: id }, await s.access.conversationWhere(caller)] },
        orderBy: { lastMessageAt: 'desc' },
        select: { id: true },
        take: 200,
      });
      // A contact is visible to agents who can see at least one of their conversations.
      if (!conversations.length && (await s.access.inboxIds(caller)) !== 'all') throw new NotFoundError('Contact');
      return {
        contact: {
          id: contact.id,
          name: contact.name,
          email: contact.email,
          phone: contact.phone,
          customerValue: contact.customerValue,
          tier: contact.tier,
          attributes: contact.attributes,
          createdAt: contact.createdAt.toISOString(),
          identities: contact.identities.map((i) => ({ kind: i.kind, address: i.address, optedOut: i.optedOut })),
        },
        conversations: await loadConversationViews(s.db.pool, conversations.map((c) => c.id)),
      };
    },
  );
}
