// Canned responses: saved answers agents insert into replies. Everyone reads; those who manage settings edit.
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../platform/errors';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const cannedSchema = z
  .object({
    shortcut: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'letters, digits and dashes, e.g. refund-sent'),
    title: z.string().trim().min(1).max(100),
    text: z.string().trim().min(1).max(5_000),
    /** The answer in other languages, by language code: the composer offers the customer's. */
    variants: z.record(z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'a language code such as es or pt-BR'), z.string().trim().min(1).max(5_000)).refine((v) => Object.keys(v).length <= 30, 'at most 30 languages').default({}),
  })
  .strict();

export function cannedResponseRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  api.route({ method: 'get', path: '/canned-responses', tag: 'canned', auth: 'agent', summary: 'Saved answers, by shortcut' }, async () => ({
    data: await prisma.cannedResponse.findMany({ orderBy: { shortcut: 'asc' } }),
  }));

  api.route(
    { method: 'post', path: '/canned-responses', tag: 'canned', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Add a saved answer, with variants per language; {name} becomes the customer\'s first name, {greeting} the greeting in their language', body: cannedSchema, responses: { 201: 'The saved answer', 409: 'That shortcut is taken' } },
    async ({ body, res }) => {
      if (await prisma.cannedResponse.findUnique({ where: { shortcut: body.shortcut } })) throw new ConflictError(`The shortcut "${body.shortcut}" is already used`);
      res.status(201);
      return prisma.cannedResponse.create({ data: body });
    },
  );

  api.route({ method: 'delete', path: '/canned-responses/:id', tag: 'canned', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Delete a saved answer', responses: { 404: 'No such saved answer' } }, async ({ req }) => {
    const id = z.uuid().safeParse(req.params.id);
    const found = id.success ? await prisma.cannedResponse.findUnique({ where: { id: id.data } }) : null;
    if (!found) throw new NotFoundError('No such saved answer');
    await prisma.cannedResponse.delete({ where: { id: found.id } });
    return { deleted: found.id };
  });
}
