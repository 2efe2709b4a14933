// Complaint cases on the API: a conversation's recovery stage, its remedies (approval above the
// giver's limit), and the supervisors' view of open cases by stage and age.
import { z } from 'zod';
import { ComplaintStage, RemedyType } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { setComplaintStage, COMPLAINT_STAGES } from '../complaints/cases';
import { Remedies } from '../complaints/remedies';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';
import { agentActor } from './conversations';

const remedyBody = z
  .object({
    type: z.enum(RemedyType),
    amount: z.number().positive().max(1e9).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code, e.g. EUR').optional(),
    note: z.string().trim().max(1_000).optional(),
  })
  .strict()
  .refine((r) => (r.amount === undefined) === (r.currency === undefined), { message: 'an amount needs its currency, and a currency its amount', path: ['currency'] });

/** Age buckets of open cases, by when the complaint was opened. */
const AGES = [['under 1 day', 1], ['1–3 days', 3], ['3–7 days', 7], ['over 7 days', null]] as const;

export function complaintRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const remedies = new Remedies({ db: s.db, config: s.config, actions: s.actions });

  api.route(
    {
      method: 'put', path: '/conversations/:id/complaint', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.assign' },
      body: z.object({ stage: z.enum(ComplaintStage).nullable().describe(`${COMPLAINT_STAGES.join(' → ')}; null: not a complaint`) }).strict(),
      summary: 'Open, move or close the conversation\'s complaint case',
    },
    async ({ req, body, caller }) => setComplaintStage(s.actions, agentActor(caller), String(req.params.id), body.stage),
  );

  api.route(
    { method: 'get', path: '/conversations/:id/remedies', tag: 'conversations', auth: 'agent', access: { conversation: 'id' }, summary: 'The remedies logged on the conversation, oldest first' },
    async ({ req }) => ({ data: await prisma.remedy.findMany({ where: { conversationId: String(req.params.id) }, orderBy: { createdAt: 'asc' } }) }),
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/remedies', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.assign' }, body: remedyBody,
      summary: 'Log a remedy (apology, refund, credit, replacement, other; amount and currency). Above your role\'s limit it waits for approval',
      responses: { 201: '{ remedyId, status: approved | pending_approval, conversation }' },
    },
    async ({ req, body, caller, res }) => {
      res.status(201);
      return remedies.log({ type: 'agent', id: caller.id, name: caller.name }, String(req.params.id), body);
    },
  );

  api.route(
    {
      method: 'post', path: '/remedies/:id/decision', tag: 'conversations', auth: 'agent', access: { permission: 'conversations.assign' },
      body: z.object({ approve: z.boolean() }).strict(),
      summary: 'Approve or reject a remedy waiting for approval (your own limit must cover its amount)',
      responses: { 403: 'Above your limit', 404: 'No such remedy in your conversations', 409: 'Decided already' },
    },
    async ({ req, body, caller }) => {
      const id = String(req.params.id);
      const remedy = isUuid(id) ? await prisma.remedy.findUnique({ where: { id }, select: { conversationId: true } }) : null;
      if (!remedy) throw new NotFoundError('Remedy');
      await s.access.conversationNow(caller, remedy.conversationId);
      return remedies.decide({ type: 'agent', id: caller.id, name: caller.name }, id, body.approve);
    },
  );

  api.route(
    {
      method: 'get', path: '/complaints', tag: 'reports', auth: 'agent', access: { permission: 'reports.view' },
      query: z.object({ inboxId: z.uuid().optional() }),
      summary: 'Open complaint cases (not yet followed up, conversations you see) by stage and age, with the oldest of each stage and the remedies waiting for approval',
    },
    async ({ query, caller }) => {
      const where = { AND: [await s.access.conversationWhere(caller), { complaintStage: { not: null, notIn: ['followed_up' as const] } }, query.inboxId ? { inboxId: query.inboxId } : {}] };
      const open = await prisma.conversation.findMany({ where, select: { id: true, reference: true, complaintStage: true, complaintOpenedAt: true, complaintCategory: true, subject: true, status: true }, orderBy: { complaintOpenedAt: 'asc' }, take: 5_000 });
      const now = Date.now();
      const ageOf = (at: Date | null) => {
        const days = at ? (now - at.getTime()) / 86_400_000 : 0;
        return AGES.find(([, max]) => max === null || days < max)![0];
      };
      const stages = COMPLAINT_STAGES.filter((x) => x !== 'followed_up').map((stage) => {
        const rows = open.filter((c) => c.complaintStage === stage);
        return { stage, total: rows.length, byAge: Object.fromEntries(AGES.map(([label]) => [label, rows.filter((c) => ageOf(c.complaintOpenedAt) === label).length])), oldest: rows.slice(0, 5) };
      });
      const pending = await prisma.remedy.findMany({ where: { status: 'pending_approval', conversation: { AND: [await s.access.conversationWhere(caller)] } }, orderBy: { createdAt: 'asc' }, take: 100, include: { conversation: { select: { reference: true } } } });
      return { stages, ages: AGES.map(([label]) => label), pendingApproval: pending.map((r) => ({ id: r.id, conversationId: r.conversationId, reference: r.conversation.reference, type: r.type, amount: r.amount, currency: r.currency, agentId: r.agentId, createdAt: r.createdAt })) };
    },
  );
}
