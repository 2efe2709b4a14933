// Companies (B2B): the organisations contacts belong to, with how many contacts each has.
// A contact joins one by name (PATCH /contacts/{id} { company }, an import's company column).
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { loadContactViews } from '../contacts/directory';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const companyBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    domain: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a web domain, e.g. acme.com').nullable().optional(),
  })
  .strict();

export function companyRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const view = { id: true, name: true, domain: true, createdAt: true, _count: { select: { contacts: true } } } as const;
  const shape = (c: { id: string; name: string; domain: string | null; createdAt: Date; _count: { contacts: number } }) => ({ id: c.id, name: c.name, domain: c.domain, contacts: c._count.contacts, createdAt: c.createdAt });

  api.route(
    { method: 'get', path: '/companies', tag: 'contacts', auth: 'agent', query: z.object({ q: z.string().trim().max(200).optional() }), summary: 'Companies, by name (q: any part of the name or domain)' },
    async ({ query }) => {
      const where = query.q ? { OR: [{ name: { contains: query.q, mode: 'insensitive' as const } }, { domain: { contains: query.q, mode: 'insensitive' as const } }] } : {};
      return { data: (await prisma.company.findMany({ where, orderBy: { name: 'asc' }, take: 200, select: view })).map(shape) };
    },
  );

  api.route(
    { method: 'post', path: '/companies', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.edit' }, body: companyBody, summary: 'Add a company', responses: { 201: 'The company', 409: 'A company of that name exists' } },
    async ({ body, res }) => {
      if (await prisma.company.findFirst({ where: { name: { equals: body.name, mode: 'insensitive' } }, select: { id: true } })) throw new ConflictError(`A company named ${body.name} exists`);
      res.status(201);
      return shape(await prisma.company.create({ data: { name: body.name, domain: body.domain ?? null }, select: view }));
    },
  );

  api.route(
    { method: 'get', path: '/companies/:id', tag: 'contacts', auth: 'agent', access: { permission: 'people.view' }, summary: 'A company and its contacts (the first 200)', responses: { 404: 'No such company' } },
    async ({ req }) => {
      const id = String(req.params.id);
      const company = isUuid(id) ? await prisma.company.findUnique({ where: { id }, select: view }) : null;
      if (!company) throw new NotFoundError('Company');
      const contacts = await prisma.contact.findMany({ where: { companyId: id, erasedAt: null }, orderBy: { createdAt: 'desc' }, take: 200, select: { id: true } });
      return { ...shape(company), contactList: await loadContactViews(s.db.pool, contacts.map((c) => c.id)) };
    },
  );
}
