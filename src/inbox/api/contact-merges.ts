// Duplicates: the review queue of merge suggestions (each with its evidence and score), accept
// (merge) or reject (remembered), a merge an agent asks for by hand, and undo.
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import type { SessionAgent } from '../agents/sessions';
import { loadContactViews } from '../contacts/directory';
import { mergeContacts, undoMerge } from '../contacts/merge';
import { findDuplicatePairs, storeSuggestions } from '../contacts/suggestions';
import { visibleContact } from '../contacts/visibility';
import type { InboxServices } from '../services';
import { loadConversationViews } from '../views';
import type { AgentApi } from './auth';

const listQuery = z.object({
  status: z.enum(['pending', 'rejected']).default('pending'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export function contactMergeRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;

  /** Agents watching these conversations see their new contact at once. */
  const announce = async (conversationIds: string[]) => {
    for (const view of await loadConversationViews(s.db.pool, conversationIds)) s.events.emit({ type: 'conversation.updated', inboxId: view.inbox.id, conversation: view, changes: ['contact'] });
  };
  const merge = async (caller: SessionAgent, survivorId: string, mergedId: string, suggestionId?: string) => {
    await Promise.all([visibleContact(s, caller, survivorId), visibleContact(s, caller, mergedId)]);
    const done = await mergeContacts(s.db, { survivorId, mergedId, agentId: caller.id, suggestionId });
    s.logger.info({ ...done, agentId: caller.id }, 'contacts merged');
    await announce((await prisma.conversation.findMany({ where: { contactId: survivorId }, select: { id: true }, take: 500 })).map((c) => c.id));
    return done;
  };

  api.route(
    { method: 'get', path: '/contacts/suggestions', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.merge' }, query: listQuery, summary: 'Contacts that are probably one person, highest score first: both contacts, the evidence (kind, what matched, weight) and the score' },
    async ({ query, caller }) => {
      const rows = await prisma.mergeSuggestion.findMany({ where: { status: query.status }, orderBy: [{ score: 'desc' }, { createdAt: 'asc' }], take: query.limit * 4 });
      const seen = await Promise.all(rows.map(async (r) => {
        try {
          await Promise.all([visibleContact(s, caller, r.contactAId), visibleContact(s, caller, r.contactBId)]);
          return true;
        } catch {
          return false;
        }
      }));
      const mine = rows.filter((_, i) => seen[i]).slice(0, query.limit);
      const views = new Map((await loadContactViews(s.db.pool, mine.flatMap((r) => [r.contactAId, r.contactBId]))).map((v) => [v.id, v]));
      return { data: mine.map((r) => ({ id: r.id, score: r.score, status: r.status, evidence: r.evidence, createdAt: r.createdAt, contacts: [views.get(r.contactAId), views.get(r.contactBId)] })) };
    },
  );

  api.route(
    { method: 'post', path: '/contacts/suggestions/scan', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.merge' }, summary: 'Look for duplicates among all contacts now (the worker also does, every minute, for contacts that changed)', responses: { 200: '{ pairs, suggested }' } },
    async () => {
      const pairs = await findDuplicatePairs(s.db.pool);
      return { pairs: pairs.length, ...(await storeSuggestions(s.db.pool, pairs)) };
    },
  );

  const suggestion = async (id: string) => {
    const found = isUuid(id) ? await prisma.mergeSuggestion.findUnique({ where: { id } }) : null;
    if (!found) throw new NotFoundError('Suggestion');
    return found;
  };

  api.route(
    {
      method: 'post', path: '/contacts/suggestions/:id/accept', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.merge' },
      body: z.object({ keepId: z.uuid().optional().describe('the contact to keep (default: the older one)') }).strict(),
      summary: 'Accept: merge the two contacts into one (undoable: POST /contacts/merges/{mergeId}/undo)',
      responses: { 200: '{ mergeId, survivorId, mergedId, moved }', 404: 'No such suggestion, or a contact you do not see' },
    },
    async ({ req, body, caller }) => {
      const found = await suggestion(String(req.params.id));
      const pair = await prisma.contact.findMany({ where: { id: { in: [found.contactAId, found.contactBId] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
      if (pair.length < 2) throw new NotFoundError('Suggestion');
      const keep = body.keepId ?? pair[0]!.id;
      if (keep !== found.contactAId && keep !== found.contactBId) throw new ValidationError('keepId must be one of the two contacts', [{ path: 'keepId', message: 'not in this suggestion' }]);
      return merge(caller, keep, keep === found.contactAId ? found.contactBId : found.contactAId, found.id);
    },
  );

  api.route(
    { method: 'post', path: '/contacts/suggestions/:id/reject', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.merge' }, summary: 'Reject: two different people. Remembered: the pair is not suggested again unless a new kind of evidence appears', responses: { 404: 'No such suggestion' } },
    async ({ req, caller }) => {
      const found = await suggestion(String(req.params.id));
      await Promise.all([visibleContact(s, caller, found.contactAId), visibleContact(s, caller, found.contactBId)]);
      await prisma.mergeSuggestion.update({ where: { id: found.id }, data: { status: 'rejected', decidedBy: caller.id, decidedAt: new Date() } });
      await prisma.auditEvent.create({ data: { type: 'contact.suggestion_rejected', agentId: caller.id, data: { suggestionId: found.id, contactIds: [found.contactAId, found.contactBId] } } });
    },
  );

  api.route(
    {
      method: 'post', path: '/contacts/:id/merge', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.merge' },
      body: z.object({ contactId: z.uuid().describe('the contact merged into this one (it is removed)') }).strict(),
      summary: 'Merge another contact into this one: its identities, conversations and messages move here',
      responses: { 200: '{ mergeId, survivorId, mergedId, moved }', 404: 'A contact you do not see' },
    },
    async ({ req, body, caller }) => merge(caller, String(req.params.id), body.contactId),
  );

  api.route(
    { method: 'post', path: '/contacts/merges/:id/undo', tag: 'contacts', auth: 'agent', access: { permission: 'contacts.merge' }, summary: 'Undo a merge: the removed contact comes back with everything that was theirs, and what they wrote since', responses: { 200: '{ restoredId, survivorId }', 404: 'No such merge', 409: 'Undone already, or the kept contact was merged on since (undo that first)' } },
    async ({ req, caller }) => {
      const id = String(req.params.id);
      const found = isUuid(id) ? await prisma.contactMerge.findUnique({ where: { id }, select: { survivorId: true } }) : null;
      if (!found) throw new NotFoundError('Merge');
      if (await prisma.contact.findUnique({ where: { id: found.survivorId }, select: { id: true } })) await visibleContact(s, caller, found.survivorId);
      const undone = await undoMerge(s.db, { mergeId: id, agentId: caller.id });
      s.logger.info({ mergeId: id, ...undone, agentId: caller.id }, 'contact merge undone');
      await announce(undone.conversationIds);
      return { restoredId: undone.restoredId, survivorId: undone.survivorId };
    },
  );
}
