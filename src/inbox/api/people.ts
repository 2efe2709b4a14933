// Agents, teams and labels: the directory agents pick from when assigning and labelling.
import { z } from 'zod';
import { AgentRole, Availability } from '../../platform/db/client';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { hashPassword, passwordProblem } from '../agents/passwords';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const agentSelect = { id: true, email: true, name: true, role: true, availability: true, languages: true, skills: true, capacity: true, active: true } as const;

export function peopleRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;

  api.route(
    { method: 'get', path: '/agents', tag: 'agents', auth: 'agent', summary: 'The agents you work with (those sharing an inbox with you); everyone, for those who manage settings or see the directory' },
    async ({ caller }) => {
      const everyone = await s.access.can(caller, { anyOf: ['settings.manage', 'people.view'] });
      const inboxIds = await s.access.inboxIds(caller);
      const where = everyone || inboxIds === 'all' ? {} : { OR: [{ id: caller.id }, { active: true, inboxes: { some: { inboxId: { in: inboxIds } } } }] };
      return { data: await prisma.agent.findMany({ where, select: { ...agentSelect, customRole: { select: { id: true, name: true } }, teams: { select: { teamId: true } } }, orderBy: { name: 'asc' } }) };
    },
  );

  api.route(
    {
      method: 'patch', path: '/agents/:id', tag: 'agents', auth: 'agent', access: { permission: 'settings.manage' },
      summary: 'Change an agent: name, role (built-in, and a custom role that replaces its permissions), capacity, skills, languages, teams, inboxes. Their live sockets reconnect with what they see now',
      body: z
        .object({
          name: z.string().trim().min(1).max(100).optional(),
          role: z.enum(AgentRole).optional(),
          customRoleId: z.uuid().nullable().optional(),
          languages: z.array(z.string().min(2).max(10)).max(20).optional(),
          skills: z.array(z.string().min(1).max(50)).max(50).optional(),
          capacity: z.number().int().min(0).max(1000).optional(),
          teamIds: z.array(z.uuid()).max(50).optional(),
          inboxIds: z.array(z.uuid()).max(500).optional(),
        })
        .strict(),
      responses: { 400: 'It would leave no active admin', 404: 'No such agent or role' },
    },
    async ({ req, body }) => {
      const id = String(req.params.id);
      const before = isUuid(id) ? await prisma.agent.findUnique({ where: { id }, select: { role: true, customRoleId: true, active: true } }) : null;
      if (!before) throw new NotFoundError('Agent');
      if (body.customRoleId && !(await prisma.role.findUnique({ where: { id: body.customRoleId }, select: { id: true } }))) throw new NotFoundError('Role');
      const agent = await prisma.$transaction(async (tx) => {
        const updated = await tx.agent.update({
          where: { id },
          data: {
            name: body.name, role: body.role, customRoleId: body.customRoleId, languages: body.languages, skills: body.skills, capacity: body.capacity,
            ...(body.teamIds ? { teams: { deleteMany: {}, create: [...new Set(body.teamIds)].map((teamId) => ({ teamId })) } } : {}),
            ...(body.inboxIds ? { inboxes: { deleteMany: {}, create: [...new Set(body.inboxIds)].map((inboxId) => ({ inboxId })) } } : {}),
          },
          select: { ...agentSelect, customRole: { select: { id: true, name: true } }, teams: { select: { teamId: true } } },
        });
        // An admin is one with the built-in admin role and no custom role over it; one active admin always remains.
        if ((await tx.agent.count({ where: { role: 'admin', customRoleId: null, active: true } })) === 0) throw new ValidationError('This would leave no active admin');
        return updated;
      });
      s.accessChanged([id]);
      return agent;
    },
  );

  api.route(
    {
      method: 'post', path: '/agents', tag: 'agents', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Create an agent',
      body: z
        .object({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(100),
          password: z.string().min(10, 'must be at least 10 characters').max(200),
          role: z.enum(AgentRole).default('agent'),
          languages: z.array(z.string().min(2).max(10)).max(20).default([]),
          skills: z.array(z.string().min(1).max(50)).max(50).default([]),
          capacity: z.number().int().min(0).max(1000).default(10),
          teamIds: z.array(z.uuid()).max(50).default([]),
          inboxIds: z.array(z.uuid()).max(500).default([]),
        })
        .strict(),
      responses: { 201: 'The agent', 409: 'Email already used' },
    },
    async ({ body, res }) => {
      const email = body.email.toLowerCase();
      if (await prisma.agent.findUnique({ where: { email }, select: { id: true } })) throw new ConflictError(`An agent with email ${email} already exists`);
      const weak = passwordProblem(body.password, { email, name: body.name });
      if (weak) throw new ValidationError(`password: ${weak}`);
      const agent = await prisma.agent.create({
        data: {
          email, name: body.name, role: body.role, languages: body.languages, skills: body.skills, capacity: body.capacity,
          passwordHash: await hashPassword(body.password),
          teams: { create: body.teamIds.map((teamId) => ({ teamId })) },
          inboxes: { create: body.inboxIds.map((inboxId) => ({ inboxId })) },
        },
        select: agentSelect,
      });
      res.status(201);
      return agent;
    },
  );

  api.route(
    {
      method: 'post', path: '/agents/me/availability', tag: 'agents', auth: 'agent', summary: 'Set your availability (online, busy, offline)',
      body: z.object({ availability: z.enum(Availability) }).strict(),
    },
    async ({ body, caller }) => {
      const agent = await prisma.$transaction(async (tx) => {
        const before = await tx.agent.findUniqueOrThrow({ where: { id: caller.id }, select: { availability: true } });
        const after = await tx.agent.update({ where: { id: caller.id }, data: { availability: body.availability }, select: agentSelect });
        // Routing hands an offline agent's conversations on, and gives an agent coming online work.
        if (before.availability !== after.availability && (after.availability === 'offline' || after.availability === 'online')) {
          await tx.routingEvent.create({ data: { type: `agent.${after.availability}`, conversationId: '00000000-0000-0000-0000-000000000000', data: { agentId: caller.id } } });
        }
        return after;
      });
      await s.queue.add('routing', 'drain', {}, { jobId: `drain-${Date.now()}` }).catch(() => {});
      return agent;
    },
  );

  api.route(
    { method: 'get', path: '/teams', tag: 'teams', auth: 'agent', summary: 'Every team (to hand a conversation over); members listed for your own teams, or all for those who manage settings or see the directory' },
    async ({ caller }) => {
      const everyone = await s.access.can(caller, { anyOf: ['settings.manage', 'people.view'] });
      const teams = await prisma.team.findMany({ include: { members: { select: { agentId: true } } }, orderBy: { name: 'asc' } });
      return {
        data: teams.map((t) => {
          const memberIds = t.members.map((m) => m.agentId);
          return { id: t.id, name: t.name, description: t.description, ...(everyone || memberIds.includes(caller.id) ? { memberIds } : {}) };
        }),
      };
    },
  );

  api.route(
    {
      method: 'post', path: '/teams', tag: 'teams', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Create a team',
      body: z.object({ name: z.string().trim().min(1).max(100), description: z.string().max(500).optional(), memberIds: z.array(z.uuid()).max(500).default([]) }).strict(),
      responses: { 201: 'The team', 409: 'Name already used' },
    },
    async ({ body, res }) => {
      if (await prisma.team.findUnique({ where: { name: body.name }, select: { id: true } })) throw new ConflictError(`A team named ${body.name} already exists`);
      const team = await prisma.team.create({ data: { name: body.name, description: body.description, members: { create: body.memberIds.map((agentId) => ({ agentId })) } } });
      s.accessChanged(body.memberIds);
      res.status(201);
      return { id: team.id, name: team.name, description: team.description, memberIds: body.memberIds };
    },
  );

  api.route({ method: 'get', path: '/labels', tag: 'labels', auth: 'agent', summary: 'All labels' }, async () => ({
    data: await prisma.label.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, color: true, description: true } }),
  }));

  api.route(
    {
      method: 'post', path: '/labels', tag: 'labels', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Create a label',
      body: z.object({ name: z.string().trim().min(1).max(50), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(), description: z.string().max(300).optional() }).strict(),
      responses: { 201: 'The label', 409: 'Name already used' },
    },
    async ({ body, res }) => {
      const name = body.name.toLowerCase();
      if (await prisma.label.findUnique({ where: { name }, select: { id: true } })) throw new ConflictError(`A label named ${name} already exists`);
      res.status(201);
      return prisma.label.create({ data: { name, color: body.color, description: body.description }, select: { id: true, name: true, color: true, description: true } });
    },
  );
}
