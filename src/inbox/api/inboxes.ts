import { z } from 'zod';
import { ChannelKind, type Inbox } from '../../platform/db/client';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { parseInput } from '../../platform/http/validate';
import { hashToken, newToken } from '../inboxes/directory';
import { ChannelDeadLetters } from '../channels/channel-state';
import type { InboxServices } from '../services';
import { inboxRoutingSchema } from '../../routing/inbox-settings';
import type { AgentApi } from './auth';

const secretRef = z.string().regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, 'must be a reference like env:VARIABLE_NAME; secrets are never stored');

const createInbox = z
  .object({
    kind: z.enum(ChannelKind),
    name: z.string().trim().min(1).max(100),
    config: z.record(z.string(), z.unknown()).default({}),
    secretRefs: z.record(z.string(), secretRef).default({}),
    teamId: z.uuid().nullable().optional(),
    memberIds: z.array(z.uuid()).max(500).default([]),
  })
  .strict();

const updateInbox = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    secretRefs: z.record(z.string(), secretRef).optional(),
    retentionDays: z.number().int().min(1).max(36_500).nullable().optional().describe('erase the content of conversations resolved and untouched this many days (null: keep)'),
  })
  .strict();

export const inboxView = (i: Inbox, memberIds?: string[]) => ({
  id: i.id,
  name: i.name,
  kind: i.kind,
  config: i.config,
  retentionDays: i.retentionDays,
  secretRefs: i.secretRefs,
  routing: i.routing,
  teamId: i.teamId,
  ...(memberIds ? { memberIds } : {}),
  createdAt: i.createdAt.toISOString(),
});

export function inboxRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;

  api.route({ method: 'get', path: '/inboxes', tag: 'inboxes', auth: 'agent', summary: 'The inboxes you can see' }, async ({ caller }) => {
    // Those who manage settings see every inbox (to set one up), whatever their conversations' visibility.
    const ids = (await s.access.can(caller, 'settings.manage')) ? 'all' : await s.access.inboxIds(caller);
    const rows = await prisma.inbox.findMany({ where: ids === 'all' ? {} : { id: { in: ids } }, orderBy: { createdAt: 'asc' } });
    return { data: rows.map((i) => inboxView(i)) };
  });

  api.route(
    {
      method: 'post', path: '/inboxes', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' }, body: createInbox,
      summary: 'Create an inbox. Answers its id and, once only, its token and channel set-up values',
      responses: { 201: '{ id, token, ... }', 403: 'Your role cannot manage settings' },
    },
    async ({ body, res }) => {
      const connector = s.connectors.find(body.kind);
      if (!connector) throw new ValidationError(`The ${body.kind} channel is not installed in this build`);
      const config = parseInput(connector.configSchema, body.config, `${body.kind} inbox config`);
      const token = newToken();
      const inbox = await prisma.inbox.create({
        data: {
          kind: body.kind,
          name: body.name,
          config: config as object,
          secretRefs: body.secretRefs,
          teamId: body.teamId ?? null,
          tokenHash: hashToken(token),
          members: { create: body.memberIds.map((agentId) => ({ agentId })) },
        },
      });
      await prisma.auditEvent.create({ data: { type: 'inbox.created', inboxId: inbox.id, data: { kind: inbox.kind, name: inbox.name } } });
      res.status(201);
      return { ...inboxView(inbox, body.memberIds), token, ...connector.describeNewInbox?.(s.connectorContext, inbox) };
    },
  );

  api.route(
    { method: 'get', path: '/inboxes/:id', tag: 'inboxes', auth: 'agent', summary: 'One inbox with its members' },
    async ({ req, caller }) => {
      const id = String(req.params.id);
      const inbox = await s.inboxes.find(id);
      if (!inbox || !((await s.access.canSeeInbox(caller, id)) || (await s.access.can(caller, 'settings.manage')))) throw new NotFoundError('Inbox');
      const members = await prisma.inboxMember.findMany({ where: { inboxId: id }, select: { agentId: true } });
      return inboxView(inbox, members.map((m) => m.agentId));
    },
  );

  api.route(
    {
      method: 'post', path: '/inboxes/:id/members', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Set the agents who work this inbox',
      body: z.object({ agentIds: z.array(z.uuid()).max(500) }).strict(),
    },
    async ({ req, body }) => {
      const inbox = await s.inboxes.get(String(req.params.id));
      const before = await prisma.inboxMember.findMany({ where: { inboxId: inbox.id }, select: { agentId: true } });
      await prisma.$transaction([
        prisma.inboxMember.deleteMany({ where: { inboxId: inbox.id } }),
        prisma.inboxMember.createMany({ data: body.agentIds.map((agentId) => ({ inboxId: inbox.id, agentId })), skipDuplicates: true }),
      ]);
      s.accessChanged([...new Set([...before.map((m) => m.agentId), ...body.agentIds])]);
      return inboxView(inbox, body.agentIds);
    },
  );

  api.route(
    {
      method: 'put', path: '/inboxes/:id/routing', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' }, body: inboxRoutingSchema,
      summary: 'Set the inbox\'s routing: business hours, acknowledgement, escalation team, assignment strategy',
    },
    async ({ req, body }) => {
      const inbox = await prisma.inbox.findUnique({ where: { id: z.uuid().safeParse(req.params.id).data ?? '00000000-0000-0000-0000-000000000000' } });
      if (!inbox) throw new NotFoundError('No such inbox');
      if (body.escalationTeamId && !(await prisma.team.findUnique({ where: { id: body.escalationTeamId } }))) {
        throw new ValidationError('That team does not exist', [{ path: 'escalationTeamId', message: 'unknown team' }]);
      }
      const updated = await prisma.inbox.update({ where: { id: inbox.id }, data: { routing: body } });
      s.inboxes.invalidate(inbox.id);
      return inboxView(updated);
    },
  );

  api.route(
    {
      method: 'patch', path: '/inboxes/:id', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' }, body: updateInbox,
      summary: 'Change an inbox\'s name, channel settings or secret references. A worker picks the change up within CHANNEL_RESCAN_MS',
    },
    async ({ req, body }) => {
      const inbox = await s.inboxes.get(String(req.params.id));
      const connector = s.connectors.get(inbox.kind);
      const config = body.config ? parseInput(connector.configSchema, body.config, `${inbox.kind} inbox config`) : undefined;
      const updated = await prisma.inbox.update({
        where: { id: inbox.id },
        data: {
          ...(body.name ? { name: body.name } : {}),
          ...(config ? { config: config as object } : {}),
          ...(body.secretRefs ? { secretRefs: body.secretRefs } : {}),
          ...(body.retentionDays !== undefined ? { retentionDays: body.retentionDays } : {}),
        },
      });
      s.inboxes.invalidate(inbox.id);
      await prisma.auditEvent.create({ data: { type: 'inbox.updated', inboxId: inbox.id, data: { fields: Object.keys(body) } } });
      return inboxView(updated);
    },
  );

  api.route(
    {
      method: 'post', path: '/inboxes/:id/test-connection', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' },
      summary: 'Try the inbox\'s connections to its provider now: each check says what failed in plain words',
      responses: { 200: '{ ok, checks: [{ name, ok, message }] }' },
    },
    async ({ req }) => {
      const inbox = await s.inboxes.get(String(req.params.id));
      const connector = s.connectors.get(inbox.kind);
      if (!connector.testConnection) return { ok: true, checks: [{ name: inbox.kind, ok: true, message: `A ${inbox.kind} inbox has no outside connection to test.` }] };
      const checks = await connector.testConnection(s.connectorContext, inbox);
      return { ok: checks.every((c) => c.ok), checks };
    },
  );

  api.route(
    {
      method: 'get', path: '/inboxes/:id/dead-letters', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' },
      summary: 'Inbound items the channel could not read (a mail that does not parse), newest first. Each was recorded once and is not fetched again',
    },
    async ({ req }) => {
      const inbox = await s.inboxes.get(String(req.params.id));
      return { data: await new ChannelDeadLetters(s.db).list(inbox.id) };
    },
  );

  api.route(
    { method: 'post', path: '/inboxes/:id/token', tag: 'inboxes', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Issue a new inbox token; the old one stops working' },
    async ({ req }) => {
      const inbox = await s.inboxes.get(String(req.params.id));
      const token = newToken();
      await prisma.inbox.update({ where: { id: inbox.id }, data: { tokenHash: hashToken(token) } });
      s.inboxes.invalidate(inbox.id);
      return { id: inbox.id, token };
    },
  );
}
