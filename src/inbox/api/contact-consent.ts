// A contact's consent: per identity and purpose, changed by an agent, with its history (when,
// how — SMS STOP, an unsubscribe link, an agent, an API client — and by whom).
import { z } from 'zod';
import { IdentityKind } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import { NotFoundError } from '../../platform/errors';
import { CONSENT_PURPOSES, setIdentityConsent } from '../contacts/consent';
import { normaliseAddress } from '../contacts/identity';
import { visibleContact } from '../contacts/visibility';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const consentBody = z
  .object({
    kind: z.enum(IdentityKind),
    address: z.string().trim().min(1).max(320),
    purpose: z.enum([...CONSENT_PURPOSES, 'all']).describe('support (agents\' answers), automatic (acknowledgements, auto-replies), surveys (and other non-support sends), or all'),
    granted: z.boolean(),
  })
  .strict();

export function contactConsentRoutes(api: AgentApi, s: InboxServices): void {
  api.route(
    {
      method: 'put', path: '/contacts/:id/consent', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.edit' }, body: consentBody,
      summary: 'Grant or refuse one purpose on one of the contact\'s identities (e.g. the customer asked on the phone to get no surveys by email); recorded in the history',
      responses: { 200: '{ changed }', 404: 'No such contact, or the identity is not theirs' },
    },
    async ({ req, body, caller }) => {
      const contact = await visibleContact(s, caller, String(req.params.id));
      const address = normaliseAddress(body.kind, body.address);
      const done = await withTransaction(s.db.pool, async (client) => {
        const owner = await client.query<{ contact_id: string }>('SELECT contact_id FROM contact_identities WHERE kind = $1::"IdentityKind" AND address = $2', [body.kind, address]);
        if (owner.rows[0]?.contact_id !== contact.id) throw new NotFoundError('Identity');
        return setIdentityConsent(client, { kind: body.kind, address, purpose: body.purpose, granted: body.granted, source: 'agent', agentId: caller.id });
      });
      return { changed: done?.changed ?? false };
    },
  );

  api.route(
    { method: 'get', path: '/contacts/:id/consent', tag: 'contacts', auth: 'agent', summary: 'How the contact\'s consent changed, newest first: identity, purpose, granted or refused, source, agent', responses: { 404: 'No such contact in your inboxes' } },
    async ({ req, caller }) => {
      const contact = await visibleContact(s, caller, String(req.params.id));
      const data = await s.db.prisma.consentChange.findMany({ where: { contactId: contact.id }, orderBy: { id: 'desc' }, take: 200, select: { kind: true, address: true, purpose: true, granted: true, source: true, agentId: true, createdAt: true } });
      return { data };
    },
  );
}
