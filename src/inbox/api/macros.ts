// Macros (named sets of actions) and bulk actions over selected conversations.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { applyActions } from '../macros/actions';
import { BulkOperations, MAX_BULK, bulkActionSchema, macroActionsSchema } from '../macros/bulk';
import type { InboxServices } from '../services';
import { loadConversationView } from '../views';
import type { AgentApi } from './auth';

const macroBody = z.object({ name: z.string().trim().min(1).max(100), description: z.string().trim().max(500).nullable().optional(), actions: macroActionsSchema }).strict();

export function macroRoutes(api: AgentApi, s: InboxServices): void {
  const bulk = new BulkOperations(s);
  const macro = async (id: string) => {
    const m = isUuid(id) ? await s.db.prisma.macro.findUnique({ where: { id } }) : null;
    if (!m) throw new NotFoundError('Macro');
    return m;
  };

  api.route({ method: 'get', path: '/macros', tag: 'macros', auth: 'agent', summary: 'Every macro, by name' }, async () => ({ data: await s.db.prisma.macro.findMany({ orderBy: { name: 'asc' } }) }));

  api.route(
    { method: 'post', path: '/macros', tag: 'macros', auth: 'agent', access: { permission: 'knowledge.manage' }, body: macroBody, summary: 'Create a macro: reply, note, addLabels, setStatus, assignTeam, assignAgent, setContactAttribute', responses: { 201: 'The macro', 409: 'The name is taken' } },
    async ({ body, caller, res }) => {
      res.status(201);
      return s.db.prisma.macro.create({ data: { name: body.name, description: body.description ?? null, actions: body.actions, createdById: caller.id } });
    },
  );

  api.route(
    { method: 'patch', path: '/macros/:id', tag: 'macros', auth: 'agent', access: { permission: 'knowledge.manage' }, body: macroBody.partial(), summary: 'Change a macro' },
    async ({ req, body }) => {
      const m = await macro(String(req.params.id));
      return s.db.prisma.macro.update({ where: { id: m.id }, data: { ...(body.name ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}), ...(body.actions ? { actions: body.actions } : {}) } });
    },
  );

  api.route(
    { method: 'delete', path: '/macros/:id', tag: 'macros', auth: 'agent', access: { permission: 'knowledge.manage' }, summary: 'Delete a macro', responses: { 204: 'Deleted' } },
    async ({ req, res }) => {
      await s.db.prisma.macro.delete({ where: { id: (await macro(String(req.params.id))).id } });
      res.status(204);
    },
  );

  api.route(
    {
      method: 'post', path: '/macros/:id/apply', tag: 'macros', auth: 'agent', body: z.object({ conversationId: z.uuid() }).strict(),
      summary: 'Apply a macro to one conversation: all of its actions, or none (409 naming the action that cannot be done)',
      responses: { 200: 'The conversation after it', 404: 'No such macro, or conversation in your inboxes', 409: 'An action cannot be done: nothing changed' },
    },
    async ({ req, body, caller }) => {
      const m = await macro(String(req.params.id));
      const { id } = await s.access.conversation(caller, body.conversationId);
      await applyActions(s, caller, id, macroActionsSchema.parse(m.actions), { name: m.name });
      return loadConversationView(s.db.pool, id);
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/bulk', tag: 'conversations', auth: 'agent',
      body: z.object({ conversationIds: z.array(z.uuid()).min(1).max(MAX_BULK), action: bulkActionSchema }).strict(),
      summary: `Assign, label, open, mark pending, resolve, snooze or apply a macro to up to ${MAX_BULK} conversations, in the background: poll GET /bulk-operations/{id} for its progress`,
      responses: { 202: '{ id, total }', 404: 'No such macro' },
    },
    async ({ body, caller, res }) => {
      res.status(202);
      return bulk.start(caller, body.conversationIds, body.action);
    },
  );

  api.route(
    { method: 'get', path: '/bulk-operations/:id', tag: 'conversations', auth: 'agent', summary: 'A bulk action\'s progress: total, done, failed (with each reason), status running / done' },
    async ({ req, caller }) => bulk.get(caller, String(req.params.id)),
  );
}
