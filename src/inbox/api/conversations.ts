import { z } from 'zod';
import { ConversationStatus, ConversationType } from '../../platform/db/client';
import type { SessionAgent } from '../agents/sessions';
import type { Actor } from '../conversations/actions';
import type { InboxServices } from '../services';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { startConversation } from '../conversations/start';
import { refuseFreeForm, replyRulesFor, templateReply } from '../messages/reply-rules';
import type { ReplyInput } from '../messages/reply';
import { COMPLAINT_CLASSES, complaintTypes } from '../../sentiment';
import { loadConversationView, loadConversationViews, loadTimeline } from '../views';
import { LIST_SORTS, listConversations, MIN_SEARCH_LENGTH, type ListRequest } from '../conversations/list';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { ConversationView } from '../views';
import { markConversationRead, readsOf } from '../conversations/reads';
import type { AgentApi } from './auth';

const uuid = z.uuid();

const startBody = z
  .object({
    inboxId: uuid,
    to: z
      .object({
        email: z.email().max(320).optional(),
        phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number, e.g. +14155550123').optional(),
        name: z.string().trim().max(200).optional(),
      })
      .strict()
      .refine((t) => t.email || t.phone, { message: 'needs an email or a phone number' }),
    subject: z.string().trim().max(500).optional(),
    text: z.string().trim().min(1, 'must not be empty').max(50_000),
    html: z.string().max(500_000).optional(),
  })
  .strict();

export const listQuery = z.object({
  status: z.enum(['open', 'pending', 'snoozed', 'resolved', 'all']).default('open').describe('open (default), pending, snoozed, resolved or all'),
  inboxId: uuid.optional(),
  assigneeId: z.union([uuid, z.literal('me'), z.literal('none')]).optional().describe('an agent id, "me" or "none" (unassigned)'),
  teamId: z.union([uuid, z.literal('mine')]).optional().describe('a team id, or "mine": the teams you belong to'),
  label: z.string().max(100).optional(),
  type: z.enum(ConversationType).optional().describe('direct or mention (public social posts)'),
  complaintCategory: z.string().max(100).optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  attribute: z.string().regex(/^[a-z][a-z0-9_]{0,62}:.{1,200}$/, 'key:value, e.g. plan:enterprise').optional().describe('only contacts whose custom attribute has this value, key:value (e.g. plan:enterprise)'),
  q: z.string().trim().max(200).optional().describe(`search (at least ${MIN_SEARCH_LENGTH} characters): any part of the contact's name, email, phone or handle, the subject, or all the words of a message`),
  sort: z.enum(LIST_SORTS).default('priority').describe('priority (default): highest first, then longest waiting, then latest message; recent; waiting'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page (pages follow the list as it is, without skipping or repeating)'),
});

export const agentActor = (a: SessionAgent): Actor => ({ type: 'agent', id: a.id, name: a.name });

/** Rows one export writes at most. */
const EXPORT_LIMIT = 100_000;
const EXPORT_COLUMNS: Array<[string, (c: ConversationView) => string | number | null]> = [
  ['reference', (c) => c.reference],
  ['status', (c) => c.status],
  ['inbox', (c) => c.inbox.name],
  ['channel', (c) => c.inbox.kind],
  ['contact', (c) => c.contact.name],
  ['email', (c) => c.contact.email],
  ['phone', (c) => c.contact.phone],
  ['subject', (c) => c.subject],
  ['assignee', (c) => c.assignee?.name ?? null],
  ['team', (c) => c.team?.name ?? null],
  ['priority', (c) => c.priority],
  ['sentiment', (c) => c.sentiment?.label ?? null],
  ['complaint_type', (c) => c.complaintCategory],
  ['labels', (c) => c.labels.map((l) => l.name).join(' ')],
  ['messages', (c) => c.messageCount],
  ['created_at', (c) => c.createdAt],
  ['last_message_at', (c) => c.lastMessageAt],
  ['first_response_at', (c) => c.firstResponseAt],
  ['resolved_at', (c) => c.resolvedAt],
];

const readBody = z.object({ at: z.iso.datetime({ offset: true }).optional().describe('read up to this moment (the last message shown); default now') });

export function conversationRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  /** The list the caller asked for, inside what their role sees. */
  const listRequest = async (caller: SessionAgent, query: z.infer<typeof listQuery>): Promise<ListRequest> => {
    const [visible, scope] = await Promise.all([s.access.inboxIds(caller), s.access.scope(caller)]);
    let inboxIds = visible === 'all' ? null : visible;
    if (query.inboxId) inboxIds = inboxIds && !inboxIds.includes(query.inboxId) ? [] : [query.inboxId];
    const teamIds =
      query.teamId === 'mine' ? (await prisma.teamMember.findMany({ where: { agentId: caller.id }, select: { teamId: true } })).map((m) => m.teamId) : query.teamId ? [query.teamId] : undefined;
    /** key:value, the value typed as the attribute is (a number attribute matches 40, not "40"). */
    const attributeFilter = async (raw: string) => {
      const [key, ...rest] = raw.split(':');
      const def = await prisma.contactAttribute.findUnique({ where: { key: key! }, select: { type: true } });
      if (!def) throw new ValidationError(`No contact attribute ${key} is defined`, [{ path: 'attribute', message: 'unknown attribute' }]);
      const value = rest.join(':');
      return { key: key!, value: def.type === 'number' && Number.isFinite(Number(value)) ? Number(value) : value };
    };
    const labelId = query.label ? ((await prisma.label.findUnique({ where: { name: query.label.toLowerCase() }, select: { id: true } }))?.id ?? null) : undefined;
    return {
      status: query.status === 'all' ? null : query.status,
      inboxIds,
      assigneeId: query.assigneeId === 'me' ? caller.id : query.assigneeId === 'none' ? null : query.assigneeId,
      teamIds,
      labelId,
      type: query.type,
      complaintCategory: query.complaintCategory,
      sentiment: query.sentiment,
      contactAttribute: query.attribute ? await attributeFilter(query.attribute) : undefined,
      q: query.q || undefined,
      scope,
      sort: query.sort,
      limit: query.limit,
      cursor: query.cursor,
    };
  };

  api.route(
    {
      method: 'get', path: '/conversations', tag: 'conversations', auth: 'agent', query: listQuery,
      summary: 'List conversations; by default open ones, highest priority first. Pages by cursor; the first page counts them (up to 1,000: totalCapped says there are more)',
      responses: { 400: 'A bad filter, a search under three characters, or a cursor this list did not give' },
    },
    async ({ query, caller }) => {
      const page = await listConversations(s.db.pool, await listRequest(caller, query));
      const [data, reads] = await Promise.all([loadConversationViews(s.db.pool, page.ids), readsOf(s.db.pool, caller.id, page.ids)]);
      // Beside the views (which are the same for everyone, live or listed): the caller's own read
      // marks. A conversation is unread when absent here or read before its lastMessageAt.
      return { data, reads: Object.fromEntries([...reads].map(([id, at]) => [id, at.toISOString()])), nextCursor: page.nextCursor, limit: query.limit, ...(page.total === undefined ? {} : { total: page.total, totalCapped: page.totalCapped }) };
    },
  );

  api.route(
    {
      method: 'get', path: '/conversations/export.csv', tag: 'conversations', auth: 'agent', access: { permission: 'conversations.export' }, query: listQuery.omit({ cursor: true, limit: true }),
      summary: `The conversations of a list (the same filters) as CSV, up to ${EXPORT_LIMIT.toLocaleString('en')} rows: what your role sees, nothing more`,
    },
    async ({ query, caller, res }) => {
      const request = await listRequest(caller, { ...query, limit: 200 });
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="conversations-${new Date().toISOString().slice(0, 10)}.csv"`);
      // A cell a spreadsheet would run as a formula (=, +, -, @) is written as text.
      const csv = stringify({ header: true, columns: EXPORT_COLUMNS.map(([key]) => key), escape_formulas: true });
      const sent = pipeline(csv, res);
      let written = 0;
      for (let cursor: string | undefined, more = true; more && written < EXPORT_LIMIT; ) {
        const page = await listConversations(s.db.pool, { ...request, cursor });
        for (const c of await loadConversationViews(s.db.pool, page.ids)) {
          if (!csv.write(Object.fromEntries(EXPORT_COLUMNS.map(([key, value]) => [key, value(c)])))) await once(csv, 'drain');
          written++;
        }
        cursor = page.nextCursor ?? undefined;
        more = !!cursor;
      }
      csv.end();
      await sent;
      return undefined;
    },
  );

  api.route(
    { method: 'get', path: '/conversations/:id', tag: 'conversations', auth: 'agent', access: { conversation: 'id' }, summary: 'A conversation with its messages, their signals and explanations', responses: { 404: 'No such conversation in your inboxes' } },
    async ({ req, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      const [conversation, messages, reads] = await Promise.all([loadConversationView(s.db.pool, id), loadTimeline(s.db.pool, id), readsOf(s.db.pool, caller.id, [id])]);
      return { conversation, messages, readAt: reads.get(id)?.toISOString() ?? null };
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/read', tag: 'conversations', auth: 'agent', access: { conversation: 'id' }, body: readBody,
      summary: 'Mark the conversation read by you up to a moment (default now; never moves back, never past now). Unread state is per agent, on every device',
      responses: { 404: 'No such conversation in your inboxes' },
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      const readAt = await markConversationRead(s.db.pool, caller.id, id, body.at ? new Date(body.at) : new Date());
      return { conversationId: id, readAt: readAt.toISOString() };
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations', tag: 'conversations', auth: 'agent', access: { permission: 'conversations.reply' }, body: startBody,
      summary: 'Write first: open a conversation with a customer (by email or phone) and send the first message on the inbox\'s channel',
      responses: { 201: '{ conversation, message }', 404: 'No such inbox among yours' },
    },
    async ({ res, body, caller }) => {
      const inbox = await s.inboxes.find(body.inboxId);
      if (!inbox || !(await s.access.canSeeInbox(caller, inbox.id))) throw new NotFoundError('Inbox');
      const needs = inbox.kind === 'email' ? 'email' : inbox.kind === 'sms' ? 'phone' : null;
      if (!needs && inbox.kind !== 'api') throw new ValidationError(`A ${inbox.kind} conversation starts when the customer writes; agents can write first on email, SMS and API inboxes`);
      if (needs && !body.to[needs]) throw new ValidationError(`A ${inbox.kind} inbox needs the customer's ${needs}`, [{ path: `to.${needs}`, message: 'required for this inbox' }]);
      const started = await startConversation(s, caller.id, { ...body, teamId: inbox.teamId });
      res.status(201);
      return started;
    },
  );

  api.route(
    {
      method: 'delete', path: '/conversations/:id', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.delete' },
      summary: 'Delete a conversation and its messages for good. Its mail does not come back from the mailbox',
      responses: { 204: 'Deleted', 404: 'No such conversation' },
    },
    async ({ req, caller }) => {
      const { id, inboxId } = await s.access.conversation(caller, String(req.params.id));
      const c = await prisma.conversation.delete({ where: { id }, select: { reference: true, contactId: true, teamId: true, assigneeId: true } });
      // Kept after the conversation is gone (so not linked to it): who deleted what.
      await prisma.auditEvent.create({ data: { type: 'conversation.deleted', inboxId, agentId: caller.id, data: { conversationId: id, reference: c.reference, contactId: c.contactId } } });
      s.events.emit({ type: 'conversation.deleted', inboxId, conversationId: id, place: { teamId: c.teamId, assigneeId: c.assigneeId } });
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/messages', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: { anyOf: ['conversations.reply', 'conversations.note'] } },
      summary: 'Reply on the conversation\'s channel, or add a private note with private: true',
      body: z
        .object({
          text: z.string().trim().min(1, 'must not be empty').max(50_000).optional(),
          html: z.string().max(500_000).optional(),
          private: z.boolean().default(false),
          /** An approved template of the inbox (WhatsApp outside its 24-hour window): its text is the template's body with these parameters. */
          template: z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(15).optional(), parameters: z.array(z.string().trim().min(1, 'a parameter must not be empty').max(1_024)).max(10).default([]) }).strict().optional(),
        })
        .strict()
        .refine((b) => !!b.text || (!!b.template && !b.private), { message: 'give the text (or, for a reply, a template)', path: ['text'] }),
      responses: { 201: 'The stored message (a reply is sent in the background; watch its deliveryStatus)', 400: 'Unknown template, or the wrong number of parameters', 404: 'No such conversation in your inboxes', 409: "The channel's rules refuse a free-form reply now (WhatsApp's window closed): choose a template" },
    },
    async ({ req, res, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      await s.access.require(caller, body.private ? 'conversations.note' : 'conversations.reply');
      let input: ReplyInput = { text: body.text ?? '', ...(body.html ? { html: body.html } : {}), private: body.private };
      if (!body.private) {
        const rules = await replyRulesFor(s, id);
        if (body.template) {
          const chosen = templateReply(rules, body.template);
          input = { text: chosen.text, metadata: { template: chosen.template } };
        } else refuseFreeForm(rules);
      }
      const message = await s.replies.fromAgent(caller.id, id, input);
      res.status(201);
      return message;
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/assign', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.assign' }, summary: 'Assign to an agent and/or a team (null unassigns)',
      body: z.object({ assigneeId: z.union([uuid, z.literal('me')]).nullable().optional(), teamId: uuid.nullable().optional() }).strict(),
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      const assigneeId = body.assigneeId === 'me' ? caller.id : body.assigneeId;
      return s.actions.assign(agentActor(caller), id, { assigneeId, teamId: body.teamId });
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/status', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.resolve' }, summary: 'Open, mark pending, snooze (until a time) or resolve',
      body: z.object({ status: z.enum(ConversationStatus), snoozedUntil: z.iso.datetime({ offset: true }).optional() }).strict(),
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return s.actions.setStatus(agentActor(caller), id, { status: body.status, snoozedUntil: body.snoozedUntil ? new Date(body.snoozedUntil) : null });
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/labels', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.assign' }, summary: 'Add labels (created when new)',
      body: z.object({ labels: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }).strict(),
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return s.actions.addLabels(agentActor(caller), id, body.labels);
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/analysis', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.assign' },
      summary: 'Correct the analysis of the customer\'s latest message (sentiment and/or complaint type); the correction trains the next model',
      body: z
        .object({
          sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
          complaintCategory: z.string().trim().min(1).max(100).optional().describe(`a complaint type the model knows; by default one of ${COMPLAINT_CLASSES.join(', ')}`),
        })
        .strict(),
      responses: { 400: 'Unknown complaint type, or nothing to correct', 404: 'No such conversation in your inboxes' },
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      if (body.complaintCategory && !complaintTypes().includes(body.complaintCategory)) {
        throw new ValidationError(`Unknown complaint type "${body.complaintCategory}"`, [{ path: 'complaintCategory', message: `one of ${complaintTypes().join(', ')}` }]);
      }
      return s.actions.correctAnalysis({ type: 'agent', id: caller.id, name: caller.name }, id, body);
    },
  );

  api.route(
    { method: 'delete', path: '/conversations/:id/labels/:name', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.assign' }, summary: 'Remove a label' },
    async ({ req, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return s.actions.removeLabel(agentActor(caller), id, String(req.params.name));
    },
  );
}
