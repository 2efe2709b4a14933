// Routing rules and service-level policies (those who manage settings edit; they and those who see the directory read).
import { z } from 'zod';
import type { Prisma } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import { ruleSchema } from '../../routing/rules';
import { slaPolicySchema } from '../../routing/sla';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const json = (v: unknown) => v as Prisma.InputJsonValue;

export function routingRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const rule = async (id: string) => {
    const found = z.uuid().safeParse(id).success ? await prisma.routingRule.findUnique({ where: { id } }) : null;
    if (!found) throw new NotFoundError('No such rule');
    return found;
  };

  api.route({ method: 'get', path: '/routing/rules', tag: 'routing', auth: 'agent', access: { permission: { anyOf: ['settings.manage', 'people.view'] } }, summary: 'The routing rules, in the order they run' }, async () => ({
    data: await prisma.routingRule.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] }),
  }));

  api.route(
    { method: 'post', path: '/routing/rules', tag: 'routing', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Add a rule: when event and conditions, then actions', body: ruleSchema.strict(), responses: { 201: 'The rule' } },
    async ({ body, res }) => {
      const created = await prisma.routingRule.create({ data: { ...body, conditions: json(body.conditions), actions: json(body.actions) } });
      s.rules.clear();
      res.status(201);
      return created;
    },
  );

  api.route(
    { method: 'put', path: '/routing/rules/:id', tag: 'routing', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Replace a rule', body: ruleSchema.strict(), responses: { 404: 'No such rule' } },
    async ({ req, body }) => {
      const { id } = await rule(String(req.params.id));
      const updated = await prisma.routingRule.update({ where: { id }, data: { ...body, conditions: json(body.conditions), actions: json(body.actions) } });
      s.rules.clear();
      return updated;
    },
  );

  api.route({ method: 'delete', path: '/routing/rules/:id', tag: 'routing', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Delete a rule', responses: { 404: 'No such rule' } }, async ({ req }) => {
    const { id } = await rule(String(req.params.id));
    await prisma.routingRule.delete({ where: { id } });
    s.rules.clear();
    return { deleted: id };
  });

  api.route({ method: 'get', path: '/sla-policies', tag: 'routing', auth: 'agent', access: { permission: { anyOf: ['settings.manage', 'people.view'] } }, summary: 'Service-level policies' }, async () => ({
    data: await prisma.slaPolicy.findMany({ orderBy: { createdAt: 'asc' } }),
  }));

  api.route(
    { method: 'post', path: '/sla-policies', tag: 'routing', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Add a service-level policy', body: slaPolicySchema.strict(), responses: { 201: 'The policy' } },
    async ({ body, res }) => {
      const created = await prisma.slaPolicy.create({ data: { ...body, businessHours: body.businessHours ? json(body.businessHours) : undefined } });
      s.slaPolicies.clear();
      res.status(201);
      return created;
    },
  );

  api.route({ method: 'delete', path: '/sla-policies/:id', tag: 'routing', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Delete a service-level policy', responses: { 404: 'No such policy' } }, async ({ req }) => {
    const id = z.uuid().safeParse(String(req.params.id));
    const found = id.success ? await prisma.slaPolicy.findUnique({ where: { id: id.data } }) : null;
    if (!found) throw new NotFoundError('No such policy');
    await prisma.slaPolicy.delete({ where: { id: found.id } });
    s.slaPolicies.clear();
    return { deleted: found.id };
  });
}
