// Incidents on the API: open, list, move through their statuses, link conversations and public
// mentions (one, a selection, or a rule), resolve the linked conversations in one step; the
// incidents a conversation belongs to (its banner).
import { z } from 'zod';
import { IncidentStatus } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import { Incidents, INCIDENT_STATUSES } from '../incidents/incidents';
import { UPDATE_LANGUAGES } from '../incidents/messages';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';
import { agentActor } from './conversations';

const rule = z
  .object({
    category: z.string().trim().min(1).max(60).nullable().optional().describe('A complaint type (billing, delay…); any when absent'),
    keywords: z.array(z.string().trim().min(1).max(100)).max(50).optional().describe('A message matches when it contains any of them (case-insensitive)'),
    from: z.coerce.date().nullable().optional().describe('Messages from this time (default: 24 hours before now)'),
    until: z.coerce.date().nullable().optional(),
  })
  .strict();

const fields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(1_000).nullable().optional().describe('What it was, in English: said to English-speaking customers in the update'),
  status: z.enum(IncidentStatus).optional().describe(INCIDENT_STATUSES.join(' → ')),
  rule: rule.nullable().optional().describe('Links matching customer messages; null switches it off'),
  updateTexts: z.record(z.string().regex(/^[a-z]{2}$/, 'a language code such as "en"'), z.string().trim().min(1).max(1_000)).optional()
    .describe(`The update on resolve by language; the built-in template (${UPDATE_LANGUAGES.join(', ')}) where absent`),
  notify: z.boolean().optional().describe('Update linked customers on resolve (default true)'),
};

export function incidentRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const incidents = new Incidents({ db: s.db, actions: s.actions });

  /** The incident with its counts among the conversations the caller sees. */
  const summary = async (id: string, visible: Awaited<ReturnType<typeof s.access.conversationWhere>>) => {
    const incident = await incidents.find(id);
    const where = { incidentId: id, conversation: visible };
    const [linked, updated, skipped, open] = await Promise.all([
      prisma.incidentLink.count({ where }),
      prisma.incidentLink.count({ where: { ...where, updateMessageId: { not: null } } }),
      prisma.incidentLink.count({ where: { ...where, skippedReason: { not: null } } }),
      prisma.incidentLink.count({ where: { incidentId: id, conversation: { AND: [visible, { status: { not: 'resolved' } }] } } }),
    ]);
    return { ...incident, counts: { linked, updated, skipped, pendingUpdates: incident.status === 'resolved' && incident.notify ? linked - updated - skipped : 0, openConversations: open } };
  };

  api.route(
    {
      method: 'get', path: '/incidents', tag: 'conversations', auth: 'agent',
      query: z.object({ status: z.enum(['active', 'resolved', 'all']).default('active') }),
      summary: 'Incidents, newest first (active: not resolved), with how many conversations you see are linked',
    },
    async ({ query, caller }) => {
      const visible = await s.access.conversationWhere(caller);
      const rows = await prisma.incident.findMany({
        where: query.status === 'all' ? {} : query.status === 'resolved' ? { status: 'resolved' } : { status: { not: 'resolved' } },
        orderBy: { createdAt: 'desc' },
        take: 200,
        include: { _count: { select: { links: { where: { conversation: visible } } } } },
      });
      return { data: rows.map(({ _count, ...i }) => ({ ...i, linked: _count.links })) };
    },
  );

  api.route(
    {
      method: 'post', path: '/incidents', tag: 'conversations', auth: 'agent', access: { permission: 'incidents.manage' },
      body: z.object(fields).strict(),
      summary: 'Open an incident; with a rule, the conversations already matching it are linked at once',
      responses: { 201: 'The incident with its counts' },
    },
    async ({ body, caller, res }) => {
      const incident = await incidents.create(caller.id, body);
      res.status(201);
      return summary(incident.id, await s.access.conversationWhere(caller));
    },
  );

  api.route(
    { method: 'get', path: '/incidents/:id', tag: 'conversations', auth: 'agent', summary: 'An incident, its counts and the linked conversations you see, with each customer\'s update' },
    async ({ req, caller }) => {
      const visible = await s.access.conversationWhere(caller);
      const id = String(req.params.id);
      return { ...(await summary(id, visible)), conversations: await incidents.linked(id, visible) };
    },
  );

  api.route(
    {
      method: 'patch', path: '/incidents/:id', tag: 'conversations', auth: 'agent', access: { permission: 'incidents.manage' },
      body: z.object({ ...fields, title: fields.title.optional() }).strict(),
      summary: 'Change an incident: its status (resolved sends each linked customer one update), title, rule, update texts',
    },
    async ({ req, body, caller }) => {
      const id = String(req.params.id);
      await incidents.update(id, body);
      return summary(id, await s.access.conversationWhere(caller));
    },
  );

  api.route(
    {
      method: 'post', path: '/incidents/:id/links', tag: 'conversations', auth: 'agent', access: { permission: 'incidents.manage' },
      body: z.object({ conversationIds: z.array(z.uuid()).min(1).max(500) }).strict(),
      summary: 'Link conversations or public mentions (one, or a selection of up to 500) to the incident',
      responses: { 404: 'A conversation you do not see', 409: 'The incident is resolved' },
    },
    async ({ req, body, caller }) => {
      const ids = [...new Set(body.conversationIds)];
      const seen = await prisma.conversation.count({ where: { AND: [await s.access.conversationWhere(caller), { id: { in: ids } }] } });
      if (seen !== ids.length) throw new NotFoundError('Conversation');
      const linked = await incidents.link(String(req.params.id), ids, ids.length > 1 ? 'bulk' : 'agent', caller.id);
      return { linked, alreadyLinked: ids.length - linked };
    },
  );

  api.route(
    {
      method: 'delete', path: '/incidents/:id/links/:conversationId', tag: 'conversations', auth: 'agent', access: { permission: 'incidents.manage' },
      summary: 'Unlink a conversation (not once its customer was updated)',
      responses: { 204: 'Unlinked', 404: 'No such link among the conversations you see', 409: 'Its customer was updated already' },
    },
    async ({ req, res, caller }) => {
      await s.access.conversationNow(caller, String(req.params.conversationId));
      await incidents.unlink(String(req.params.id), String(req.params.conversationId));
      res.status(204);
    },
  );

  api.route(
    {
      method: 'post', path: '/incidents/:id/resolve-conversations', tag: 'conversations', auth: 'agent', access: { permission: ['incidents.manage', 'conversations.resolve'] },
      summary: 'Resolve every linked conversation not resolved yet, in one step',
    },
    async ({ req, caller }) => {
      const id = String(req.params.id);
      const visible = await s.access.conversationWhere(caller);
      const hidden = await prisma.incidentLink.count({ where: { incidentId: id, conversation: { AND: [{ NOT: visible }, { status: { not: 'resolved' } }] } } });
      const resolved = await incidents.resolveConversations(agentActor(caller), id, visible);
      return { resolved, notYours: hidden };
    },
  );

  api.route(
    { method: 'get', path: '/conversations/:id/incidents', tag: 'conversations', auth: 'agent', access: { conversation: 'id' }, summary: 'The incidents the conversation is linked to (its banner), newest first' },
    async ({ req }) => {
      const links = await prisma.incidentLink.findMany({
        where: { conversationId: String(req.params.id) },
        include: { incident: { select: { id: true, title: true, status: true, description: true, resolvedAt: true, updatedAt: true } } },
        orderBy: { linkedAt: 'desc' },
      });
      return { data: links.map((l) => ({ ...l.incident, linkedBy: l.linkedBy, linkedAt: l.linkedAt, notifiedAt: l.notifiedAt, updateMessageId: l.updateMessageId, skippedReason: l.skippedReason })) };
    },
  );
}
