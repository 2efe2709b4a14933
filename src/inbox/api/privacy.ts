// Privacy requests and the audit log: export everything held about a contact as one archive,
// erase a contact, and read every change (who, what, when), filtered.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { eraseContact } from '../privacy/erase';
import { exportContact } from '../privacy/export';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const auditQuery = z.object({
  type: z.string().max(100).optional().describe('an event type, or its start (e.g. "contact." for every contact event)'),
  agentId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  before: z.coerce.bigint().optional().describe('the id of the last event of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function privacyRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const contactOr404 = async (id: string) => {
    const found = isUuid(id) ? await prisma.contact.findUnique({ where: { id }, select: { id: true, erasedAt: true } }) : null;
    if (!found) throw new NotFoundError('Contact');
    return found;
  };

  api.route(
    {
      method: 'get', path: '/contacts/:id/export', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.privacy' },
      summary: 'Everything held about the contact as one zip archive: profile, identities, consent history, conversations with messages, analysis and activity, attachment files',
      responses: { 200: 'application/zip', 404: 'No such contact' },
    },
    async ({ req, res, caller }) => {
      const contact = await contactOr404(String(req.params.id));
      res.setHeader('content-type', 'application/zip');
      res.setHeader('content-disposition', `attachment; filename="contact-${contact.id}.zip"`);
      const counts = await exportContact(s.db, s.connectorContext.attachments, contact.id, res);
      await prisma.auditEvent.create({ data: { type: 'contact.exported', agentId: caller.id, data: { contactId: contact.id, ...counts } } });
      s.logger.info({ contactId: contact.id, agentId: caller.id, ...counts }, 'contact exported');
    },
  );

  api.route(
    {
      method: 'post', path: '/contacts/:id/erase', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.privacy' },
      body: z.object({ confirm: z.literal(true).describe('true: there is no undo') }).strict(),
      summary: 'Erase the person for good: their messages\' words, files, addresses and details everywhere. Conversations keep their numbers for reports; an audit record (no personal data) stays',
      responses: { 200: '{ conversations, messages, attachments }', 404: 'No such contact' },
    },
    async ({ req, caller }) => {
      const contact = await contactOr404(String(req.params.id));
      const counts = await eraseContact(s.db, s.connectorContext.attachments, { contactId: contact.id, agentId: caller.id });
      s.logger.info({ contactId: contact.id, agentId: caller.id, ...counts }, 'contact erased');
      return counts;
    },
  );

  api.route(
    { method: 'get', path: '/audit-events', tag: 'audit', auth: 'agent', access: { permission: 'settings.manage' }, query: auditQuery, summary: 'The audit log, newest first: every change, who or what made it; filter by type, agent or conversation; page with before' },
    async ({ query }) => {
      const rows = await prisma.auditEvent.findMany({
        where: {
          ...(query.type ? { type: { startsWith: query.type } } : {}),
          ...(query.agentId ? { agentId: query.agentId } : {}),
          ...(query.conversationId ? { conversationId: query.conversationId } : {}),
          ...(query.before !== undefined ? { id: { lt: query.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: query.limit,
      });
      const agents = new Map((await prisma.agent.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.agentId ? [r.agentId] : [])))] } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));
      return {
        data: rows.map((r) => ({ id: String(r.id), type: r.type, agentId: r.agentId, agentName: r.agentId ? (agents.get(r.agentId) ?? null) : null, conversationId: r.conversationId, inboxId: r.inboxId, data: r.data, createdAt: r.createdAt })),
        nextBefore: rows.length === query.limit ? String(rows.at(-1)!.id) : null,
      };
    },
  );
}
