// Contacts: the directory (list and search), a profile, edits, custom attribute definitions,
// and a CRM's or shop's sync by identity.
import { z } from 'zod';
import { AttributeType, IdentityKind, type Prisma } from '../../platform/db/client';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { visibleContact } from '../contacts/visibility';
import { companyNamed } from '../contacts/import';
import type { SessionAgent } from '../agents/sessions';
import { checkAttributes, mergedAttributes, type AttributeDefinition } from '../contacts/attributes';
import { listContacts, loadContactViews } from '../contacts/directory';
import { normaliseAddress } from '../contacts/identity';
import { MIN_SEARCH_LENGTH } from '../conversations/list';
import type { InboxServices } from '../services';
import { loadConversationViews } from '../views';
import type { AgentApi } from './auth';
import { TITLES } from '../../routing/salutation';
import { isTimeZone } from '../../platform/time-zones';

const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Madrid');

const details = {
  name: z.string().trim().min(1).max(200).nullable().optional(),
  customerValue: z.number().min(0).max(1e12).nullable().optional().describe('what the customer is worth (e.g. yearly revenue): a routing signal'),
  tier: z.string().trim().min(1).max(50).nullable().optional(),
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag, e.g. es or pt-BR').nullable().optional(),
  timeZone: timeZone.nullable().optional(),
  title: z.enum(TITLES).nullable().optional().describe('for formal greetings: mr, ms, mrs, mx or dr ("Estimada Sra. López")'),
  formality: z.enum(['formal', 'informal']).nullable().optional().describe('how they prefer to be addressed, over the inbox\'s tone'),
  attributes: z.record(z.string().max(64), z.unknown()).optional().describe('custom attribute values by key (GET /contact-attributes); null clears one'),
  doNotContact: z.boolean().optional().describe('nothing is sent to them on any channel, by agents or automatically, while on'),
  company: z.string().trim().min(1).max(200).nullable().optional().describe('the company they belong to, by name (created when new); null: none'),
};
const editBody = z.object(details).strict();

const attributeBody = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter'),
    label: z.string().trim().min(1).max(100),
    type: z.enum(AttributeType),
    options: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    description: z.string().trim().max(300).optional(),
  })
  .strict()
  .refine((a) => a.type !== 'list' || a.options.length > 0, { message: 'a list attribute needs its options', path: ['options'] });

const listQuery = z.object({
  q: z.string().trim().max(200).optional().describe(`search (at least ${MIN_SEARCH_LENGTH} characters): any part of the name, an email by its start or a domain by its end, a phone by its last digits, a handle`),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function contactRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const definitions = async (): Promise<AttributeDefinition[]> => prisma.contactAttribute.findMany({ select: { key: true, label: true, type: true, options: true } });

  const visible = (caller: SessionAgent, id: string) => visibleContact(s, caller, id);

  /** The columns an edit writes, its attribute values checked against the definitions. */
  const changes = async (body: z.infer<typeof editBody>, current: unknown): Promise<Prisma.ContactUpdateInput> => {
    const { attributes, doNotContact, company, ...rest } = body;
    const data: Prisma.ContactUpdateInput = { ...rest, ...(doNotContact !== undefined ? { doNotContact, doNotContactAt: doNotContact ? new Date() : null } : {}) };
    if (company !== undefined) data.company = company === null ? { disconnect: true } : { connect: { id: await companyNamed(s.db.pool, company) } };
    if (attributes) data.attributes = mergedAttributes(current, checkAttributes(await definitions(), attributes)) as Prisma.InputJsonValue;
    return data;
  };

  /** Writes an edit; a change of "do not contact" joins the consent history. */
  const write = async (id: string, body: z.infer<typeof editBody>, attributes: unknown, by: { source: 'agent' | 'api'; agentId: string }) => {
    await prisma.$transaction(async (tx) => {
      const before = await tx.contact.findUniqueOrThrow({ where: { id }, select: { doNotContact: true } });
      await tx.contact.update({ where: { id }, data: await changes(body, attributes), select: { id: true } });
      if (body.doNotContact !== undefined && body.doNotContact !== before.doNotContact) {
        await tx.consentChange.create({ data: { contactId: id, purpose: 'all', granted: !body.doNotContact, source: by.source, agentId: by.agentId } });
      }
    });
  };

  api.route(
    { method: 'get', path: '/contacts', tag: 'contacts', auth: 'agent', query: listQuery, summary: 'The contacts you see (through their conversations; admins: all), newest first, or those a search finds; paged by cursor', responses: { 400: 'A search under three characters, or a cursor this list did not give' } },
    async ({ query, caller }) => {
      if (query.q !== undefined && query.q.length > 0 && query.q.length < MIN_SEARCH_LENGTH) throw new ValidationError(`Search needs at least ${MIN_SEARCH_LENGTH} characters`, [{ path: 'q', message: `at least ${MIN_SEARCH_LENGTH} characters` }]);
      const [inboxIds, scope] = await Promise.all([s.access.inboxIds(caller), s.access.scope(caller)]);
      const page = await listContacts(s.db.pool, { q: query.q || undefined, inboxIds, scope, limit: query.limit, cursor: query.cursor });
      return { data: await loadContactViews(s.db.pool, page.ids), nextCursor: page.nextCursor };
    },
  );

  api.route(
    {
      method: 'get', path: '/contacts/:id', tag: 'contacts', auth: 'agent',
      summary: 'A contact, their identities on every channel, and all their conversations you can see',
      responses: { 404: 'No such contact in your inboxes' },
    },
    async ({ req, caller }) => {
      const { id } = await visible(caller, String(req.params.id));
      const conversations = await prisma.conversation.findMany({ where: { AND: [{ contactId: id }, await s.access.conversationWhere(caller)] }, orderBy: { lastMessageAt: 'desc' }, select: { id: true }, take: 200 });
      const [[contact], merges] = await Promise.all([
        loadContactViews(s.db.pool, [id]),
        prisma.contactMerge.findMany({ where: { survivorId: id, undoneAt: null }, orderBy: { createdAt: 'desc' }, take: 20, select: { id: true, mergedId: true, snapshot: true, agentId: true, createdAt: true } }),
      ]);
      return {
        contact,
        conversations: await loadConversationViews(s.db.pool, conversations.map((c) => c.id)),
        // Merged into this contact, newest first: each can be undone.
        merges: merges.map((m) => {
          const was = (m.snapshot as { merged?: { name?: string | null; email?: string | null; phone?: string | null } }).merged ?? {};
          return { id: m.id, mergedId: m.mergedId, mergedName: was.name ?? was.email ?? was.phone ?? null, agentId: m.agentId, createdAt: m.createdAt };
        }),
      };
    },
  );

  api.route(
    { method: 'patch', path: '/contacts/:id', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.edit' }, body: editBody, summary: 'Edit a contact: name, value, tier, language, time zone, attribute values (checked against their definitions)', responses: { 400: 'A value that does not fit (the field is named)', 404: 'No such contact in your inboxes' } },
    async ({ req, body, caller }) => {
      const contact = await visible(caller, String(req.params.id));
      await write(contact.id, body, contact.attributes, { source: 'agent', agentId: caller.id });
      return (await loadContactViews(s.db.pool, [contact.id]))[0];
    },
  );

  api.route(
    {
      method: 'put', path: '/contacts/by-identity/:kind/:address', tag: 'contacts', auth: 'agent', access: { permission: 'settings.manage' }, body: editBody,
      summary: 'For a CRM or a shop: the contact known by this identity (email, phone, …), created when new, with the values given (value, tier, attributes, …)',
      responses: { 200: '{ contact, created }', 400: 'An unknown identity kind, or a value that does not fit' },
    },
    async ({ req, body, caller }) => {
      const kind = z.enum(IdentityKind).safeParse(req.params.kind);
      if (!kind.success) throw new ValidationError(`Unknown identity kind "${String(req.params.kind)}"`, [{ path: 'kind', message: `one of ${Object.values(IdentityKind).join(', ')}` }]);
      const address = normaliseAddress(kind.data, decodeURIComponent(String(req.params.address)));
      if (!address || address.length > 320) throw new ValidationError('The address is empty or too long', [{ path: 'address', message: 'required, at most 320 characters' }]);
      const find = () => prisma.contactIdentity.findUnique({ where: { kind_address: { kind: kind.data, address } }, select: { contact: { select: { id: true, attributes: true } } } });
      let existing = (await find())?.contact ?? null;
      let created = false;
      if (!existing) {
        const data = await changes(body, {});
        // Nothing to leave on a contact being created.
        if (body.company === null) delete data.company;
        try {
          existing = await prisma.contact.create({
            data: { ...(data as Prisma.ContactCreateInput), ...(kind.data === 'email' ? { email: address } : kind.data === 'phone' ? { phone: address } : {}), identities: { create: { kind: kind.data, address } } },
            select: { id: true, attributes: true },
          });
          created = true;
        } catch (err) {
          // Created meanwhile by a message or another sync: update that one.
          existing = (await find())?.contact ?? null;
          if (!existing) throw err;
        }
      }
      if (!created) await write(existing.id, body, existing.attributes, { source: 'api', agentId: caller.id });
      return { contact: (await loadContactViews(s.db.pool, [existing.id]))[0], created };
    },
  );

  api.route({ method: 'get', path: '/contact-attributes', tag: 'contacts', auth: 'agent', summary: 'The custom attributes contacts have' }, async () => ({
    data: await prisma.contactAttribute.findMany({ orderBy: { label: 'asc' }, select: { id: true, key: true, label: true, type: true, options: true, description: true } }),
  }));

  api.route(
    { method: 'post', path: '/contact-attributes', tag: 'contacts', auth: 'agent', access: { permission: 'settings.manage' }, body: attributeBody, summary: 'Define a custom attribute: key, label, type (text, number, date, list with options)', responses: { 201: 'The attribute', 409: 'That key is taken' } },
    async ({ body, res }) => {
      if (await prisma.contactAttribute.findUnique({ where: { key: body.key }, select: { id: true } })) throw new ConflictError(`An attribute with the key ${body.key} exists`);
      res.status(201);
      return prisma.contactAttribute.create({ data: body, select: { id: true, key: true, label: true, type: true, options: true, description: true } });
    },
  );

  api.route(
    { method: 'delete', path: '/contact-attributes/:id', tag: 'contacts', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Remove an attribute definition (values already stored stay on the contacts, unchecked)', responses: { 404: 'No such attribute' } },
    async ({ req }) => {
      const id = String(req.params.id);
      const { count } = isUuid(id) ? await prisma.contactAttribute.deleteMany({ where: { id } }) : { count: 0 };
      if (!count) throw new NotFoundError('Attribute');
    },
  );
}
