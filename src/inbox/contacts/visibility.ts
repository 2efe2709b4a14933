// Who sees a contact: an agent sees one through a conversation they see; a role that sees
// everything sees every contact, conversations or not.
import type { Prisma } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import type { SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';

/** The contact's id and attributes when the caller sees it; 404 (as if it did not exist) otherwise. */
export async function visibleContact(s: InboxServices, caller: SessionAgent, id: string): Promise<{ id: string; attributes: Prisma.JsonValue }> {
  const contact = isUuid(id) ? await s.db.prisma.contact.findUnique({ where: { id }, select: { id: true, attributes: true } }) : null;
  if (!contact) throw new NotFoundError('Contact');
  if ((await s.access.inboxIds(caller)) === 'all') return contact;
  const seen = await s.db.prisma.conversation.findFirst({ where: { AND: [{ contactId: id }, await s.access.conversationWhere(caller)] }, select: { id: true } });
  if (!seen) throw new NotFoundError('Contact');
  return contact;
}
