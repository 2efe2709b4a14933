// Agents, teams and labels: the directory agents pick from when assigning and labelling.
import { z } from 'zod';
import { AgentRole, Availability } from '../../platform/db/client';
import { ConflictError, ValidationError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import { hashPassword, passwordProblem } from '../agents/passwords';
import type { SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';

const agentSelect = { id: true, email: true, name: true, role: true, availability: true, languages: true, skills: true, capacity: true, active: true } as const;

export function peopleRoutes(api: ApiRouter<SessionAgent>, s: InboxServices): void {
  const { prisma } = s.db;

  api.route({ method: 'get', path: '/agents', tag: 'agents', auth: 'agent', summary: 'All agents' }, async () => ({
    data: await prisma.agent.findMany({ select: { ...agentSelect, teams: { select: { teamId: true } } }, orderBy: { name: 'asc' } }),
  }));

  api.route(
    {
      method: 'post', path: '/agents', tag: 'agents', auth: 'admin', summary: 'Create an agent (admin)',
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

  api.route({ method: 'get', path: '/teams', tag: 'teams', auth: 'agent', summary: 'All teams with their members' }, async () => ({
    data: (await prisma.team.findMany({ include: { members: { select: { agentId: true } } }, orderBy: { name: 'asc' } })).map((t) => ({
      id: t.id, name: t.name, description: t.description, memberIds: t.members.map((m) => m.agentId),
    })),
  }));

  api.route(
    {
      method: 'post', path: '/teams', tag: 'teams', auth: 'admin', summary: 'Create a team (admin)',
      body: z.object({ name: z.string().trim().min(1).max(100), description: z.string().max(500).optional(), memberIds: z.array(z.uuid()).max(500).default([]) }).strict(),
      responses: { 201: 'The team', 409: 'Name already used' },
    },
    async ({ body, res }) => {
      if (await prisma.team.findUnique({ where: { name: body.name }, select: { id: true } })) throw new ConflictError(`A team named ${body.name} already exists`);
      const team = await prisma.team.create({ data: { name: body.name, description: body.description, members: { create: body.memberIds.map((agentId) => ({ agentId })) } } });
      res.status(201);
      return { id: team.id, name: team.name, description: team.description, memberIds: body.memberIds };
    },
  );

  api.route({ method: 'get', path: '/labels', tag: 'labels', auth: 'agent', summary: 'All labels' }, async () => ({
    data: await prisma.label.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, color: true, description: true } }),
  }));

  api.route(
    {
      method: 'post', path: '/labels', tag: 'labels', auth: 'admin', summary: 'Create a label (admin)',
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
