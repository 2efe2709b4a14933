// The community manager's desk: public mentions ranked by risk (escalation risk, then how many
// people can see them), the bridge from a public mention to a private conversation, listening
// topics and the stream of what they find (with mentions), promoted or dismissed.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { ConflictError, ValidationError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { POST_VIEW_COLUMNS, PUBLIC_POST } from '../community/posts';
import { alertText } from '../community/spike-watch';
import { Incidents } from '../incidents/incidents';
import { linkMention } from '../conversations/link';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const listQuery = z.object({
  status: z.enum(['open', 'pending', 'snoozed', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const topicBody = z
  .object({
    inboxId: z.uuid().describe('An X inbox'),
    name: z.string().trim().min(1).max(80),
    query: z.string().trim().min(1).max(512).describe('X recent-search syntax, sent as written: keywords, "exact phrases", #hashtags, OR, -exclusions, lang:'),
    kind: z.enum(['brand', 'competitor']).default('brand'),
    enabled: z.boolean().optional(),
    promoteMinFollowers: z.number().int().min(0).nullable().optional().describe('Negative complaints by authors with at least this many followers become conversations; null: none'),
    spikeSensitivity: z.number().min(1).max(20).optional(),
    spikeCooldownMinutes: z.number().int().min(5).max(1_440).optional(),
  })
  .strict();

const streamQuery = z.object({
  topicId: z.uuid().optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  minFollowers: z.coerce.number().int().min(0).optional(),
  status: z.enum(['new', 'all']).default('new'),
  /** Older than this (the last item's receivedAt), for the next page. */
  before: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function communityRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const xInbox = async (inboxId: string) => {
    const inbox = await prisma.inbox.findUnique({ where: { id: inboxId }, select: { kind: true } });
    if (!inbox) throw new NotFoundError('Inbox');
    if (inbox.kind !== 'twitter') throw new ValidationError('Listening topics read X: choose an X inbox', [{ path: 'inboxId', message: `a ${inbox.kind} inbox` }]);
  };
  const topic = async (id: string) => {
    const t = isUuid(id) ? await prisma.listeningTopic.findUnique({ where: { id } }) : null;
    if (!t) throw new NotFoundError('Listening topic');
    return t;
  };

  api.route(
    { method: 'get', path: '/community/topics', tag: 'conversations', auth: 'agent', summary: 'Listening topics of the X inboxes you see, with how many posts each found in the last 24 hours' },
    async ({ caller }) => {
      const ids = await s.access.inboxIds(caller);
      const topics = await prisma.listeningTopic.findMany({ where: ids === 'all' ? {} : { inboxId: { in: ids } }, orderBy: [{ kind: 'asc' }, { name: 'asc' }] });
      const counts = await prisma.listenedPost.groupBy({ by: ['topicId'], where: { topicId: { in: topics.map((t) => t.id) }, createdAt: { gte: new Date(Date.now() - 86_400_000) } }, _count: { _all: true } });
      const n = new Map(counts.map((c) => [c.topicId, c._count._all]));
      return { data: topics.map((t) => ({ ...t, postsLastDay: n.get(t.id) ?? 0 })) };
    },
  );

  api.route(
    {
      method: 'post', path: '/community/topics', tag: 'conversations', auth: 'agent', access: { permission: 'community.manage' }, body: topicBody,
      summary: 'Add a listening topic to an X inbox: its query is read every poll (since the last post seen)', responses: { 201: 'The topic', 409: 'A topic of that name exists in the inbox' },
    },
    async ({ body, caller, res }) => {
      await xInbox(body.inboxId);
      if (!(await s.access.canSeeInbox(caller, body.inboxId))) throw new NotFoundError('Inbox');
      if (await prisma.listeningTopic.findUnique({ where: { inboxId_name: { inboxId: body.inboxId, name: body.name } } })) throw new ConflictError(`A topic named "${body.name}" exists in this inbox`);
      res.status(201);
      return prisma.listeningTopic.create({ data: body });
    },
  );

  api.route(
    {
      method: 'patch', path: '/community/topics/:id', tag: 'conversations', auth: 'agent', access: { permission: 'community.manage' },
      body: topicBody.omit({ inboxId: true }).partial().strict(), summary: 'Change a listening topic (a changed query reads from now on, not the past week again)',
    },
    async ({ req, body, caller }) => {
      const t = await topic(String(req.params.id));
      if (!(await s.access.canSeeInbox(caller, t.inboxId))) throw new NotFoundError('Listening topic');
      return prisma.listeningTopic.update({ where: { id: t.id }, data: body });
    },
  );

  api.route(
    {
      method: 'delete', path: '/community/topics/:id', tag: 'conversations', auth: 'agent', access: { permission: 'community.manage' },
      summary: 'Delete a listening topic and the posts it found (promoted ones stay as conversations)', responses: { 204: 'Deleted' },
    },
    async ({ req, caller, res }) => {
      const t = await topic(String(req.params.id));
      if (!(await s.access.canSeeInbox(caller, t.inboxId))) throw new NotFoundError('Listening topic');
      await prisma.listeningTopic.delete({ where: { id: t.id } });
      await prisma.channelCursor.deleteMany({ where: { inboxId: t.inboxId, key: `x:topic:${t.id}` } });
      res.status(204);
    },
  );

  api.route(
    {
      method: 'get', path: '/community/stream', tag: 'conversations', auth: 'agent', query: streamQuery,
      summary: 'The community stream, newest first: posts the listening topics found and public mentions, with author, reach, sentiment, complaint type and risk',
    },
    async ({ caller, query }) => {
      const [ids, scope] = await Promise.all([s.access.inboxIds(caller), s.access.scope(caller)]);
      const all = ids === 'all';
      const postsSql = `
        SELECT ${POST_VIEW_COLUMNS} FROM listened_posts p JOIN listening_topics t ON t.id = p.topic_id
         WHERE ($1::boolean OR p.inbox_id = ANY($2::uuid[])) AND ($3::uuid IS NULL OR p.topic_id = $3) AND ($4::text IS NULL OR p.sentiment_label = $4)
           AND p.followers >= $5 AND ($6::text = 'all' OR p.status = 'new') AND ($7::timestamptz IS NULL OR p.created_at < $7)
         ORDER BY p.created_at DESC LIMIT $8`;
      // Mentions have no topic: a topic filter shows its posts only.
      const mentionsSql = `
        SELECT 'mention' AS kind, (SELECT i.kind::text FROM inboxes i WHERE i.id = c.inbox_id) AS channel, c.id, NULL::json AS topic, c.inbox_id AS "inboxId",
               json_build_object('username', ${PUBLIC_POST}->>'username', 'name', ct.name, 'followers', COALESCE((${PUBLIC_POST}->'reach'->>'followers')::int, 0)) AS author,
               m.text, ${PUBLIC_POST}->>'url' AS url, m.sent_at AS "postedAt", m.created_at AS "receivedAt", c.sentiment_label AS sentiment, c.sentiment_score AS "sentimentScore",
               c.complaint_category AS "complaintCategory", c.escalation_risk AS "escalationRisk",
               json_build_object('followers', COALESCE((${PUBLIC_POST}->'reach'->>'followers')::int, 0), 'retweets', COALESCE((${PUBLIC_POST}->'reach'->>'retweets')::int, 0),
                                 'likes', COALESCE((${PUBLIC_POST}->'reach'->>'likes')::int, 0), 'replies', COALESCE((${PUBLIC_POST}->'reach'->>'replies')::int, 0), 'quotes', 0) AS reach,
               c.status::text AS status, c.id AS "conversationId"
          FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
          JOIN LATERAL (SELECT * FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.created_at LIMIT 1) m ON true
         WHERE c.type = 'mention' AND $3::uuid IS NULL AND ($1::boolean OR c.inbox_id = ANY($2::uuid[])) AND ($4::text IS NULL OR c.sentiment_label = $4)
           AND COALESCE((${PUBLIC_POST}->'reach'->>'followers')::int, 0) >= $5 AND ($6::text = 'all' OR c.status <> 'resolved')
           AND ($7::timestamptz IS NULL OR m.created_at < $7) AND ($9::uuid IS NULL OR c.assignee_id = $9 OR c.team_id = ANY($10::uuid[]))
         ORDER BY m.created_at DESC LIMIT $8`;
      const params = [all, all ? [] : ids, query.topicId ?? null, query.sentiment ?? null, query.minFollowers ?? 0, query.status, query.before ?? null, query.limit, scope?.agentId ?? null, scope?.teamIds ?? []];
      const [posts, mentions] = await Promise.all([s.db.pool.query(postsSql, params.slice(0, 8)), s.db.pool.query(mentionsSql, params)]);
      const items = [...posts.rows, ...mentions.rows] as Array<{ receivedAt: Date }>;
      items.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
      return { data: items.slice(0, query.limit) };
    },
  );

  api.route(
    {
      method: 'post', path: '/community/posts/:id/promote', tag: 'conversations', auth: 'agent', access: { permission: 'conversations.reply' },
      summary: 'Make a listened post a conversation in the agents\' queue (to reply publicly, take it private, assign it); answers it once stored',
      responses: { 200: '{ conversationId }', 404: 'No such post in your inboxes' },
    },
    async ({ req, caller }) => {
      const id = String(req.params.id);
      const post = isUuid(id) ? await prisma.listenedPost.findUnique({ where: { id }, select: { inboxId: true } }) : null;
      if (!post || !(await s.access.canSeeInbox(caller, post.inboxId))) throw new NotFoundError('Post');
      const { messageId } = await s.listening.promote(id, caller.id);
      // The pipeline stores it within a moment: answer the conversation, not a promise of one.
      for (let i = 0; i < 100; i++) {
        const m = await prisma.message.findUnique({ where: { id: messageId }, select: { conversationId: true } });
        if (m) return { conversationId: m.conversationId };
        await new Promise((r) => setTimeout(r, 100));
      }
      return { conversationId: null, messageId };
    },
  );

  api.route(
    {
      method: 'get', path: '/community/alerts', tag: 'conversations', auth: 'agent', query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      summary: 'Spike alerts of the listening topics you see, newest first: the window, what was expected and seen, the phrases driving it, sample posts',
    },
    async ({ caller, query }) => {
      const ids = await s.access.inboxIds(caller);
      const rows = await prisma.spikeAlert.findMany({
        where: ids === 'all' ? {} : { topic: { inboxId: { in: ids } } },
        orderBy: { createdAt: 'desc' },
        take: query.limit,
        include: { topic: { select: { id: true, name: true, kind: true } } },
      });
      return { data: rows.map((a) => ({ ...a, text: alertText(a.topic.name, { kind: a.kind as 'volume' | 'negative', expected: a.expected, observed: a.observed, volume: a.volume, negative: a.negative }, a.phrases) })) };
    },
  );

  api.route(
    {
      method: 'post', path: '/community/alerts/:id/incident', tag: 'conversations', auth: 'agent', access: { permission: 'incidents.manage' },
      body: z.object({ title: z.string().trim().min(1).max(200).optional() }).strict(),
      summary: 'Open an incident from a spike: its rule links messages with the phrases driving it, from an hour before the spike',
      responses: { 201: 'The incident', 409: 'This alert opened one already' },
    },
    async ({ req, body, caller, res }) => {
      const id = String(req.params.id);
      const alert = isUuid(id) ? await prisma.spikeAlert.findUnique({ where: { id }, include: { topic: true } }) : null;
      if (!alert || !(await s.access.canSeeInbox(caller, alert.topic.inboxId))) throw new NotFoundError('Alert');
      if (alert.incidentId) throw new ConflictError('This alert opened an incident already');
      const incidents = new Incidents({ db: s.db, actions: s.actions });
      const incident = await incidents.create(caller.id, {
        title: body.title ?? `${alert.topic.name}: ${alert.phrases[0] ?? (alert.kind === 'volume' ? 'spike of posts' : 'wave of negative posts')}`,
        ...(alert.phrases.length ? { rule: { keywords: alert.phrases, from: new Date(alert.windowStart.getTime() - 3_600_000) } } : {}),
      });
      await prisma.spikeAlert.update({ where: { id }, data: { incidentId: incident.id } });
      res.status(201);
      return incident;
    },
  );

  api.route(
    {
      method: 'post', path: '/community/posts/dismiss', tag: 'conversations', auth: 'agent', access: { permission: 'conversations.resolve' },
      body: z.object({ postIds: z.array(z.uuid()).max(500).default([]), mentionIds: z.array(z.uuid()).max(500).default([]) }).strict(),
      summary: 'Dismiss posts from the stream in bulk (mentions: resolved)',
    },
    async ({ body, caller }) => {
      const dismissed = await s.listening.dismiss(body.postIds, await s.access.inboxIds(caller));
      let resolved = 0;
      const visible = await s.access.conversationWhere(caller);
      const mentions = await prisma.conversation.findMany({ where: { AND: [visible, { id: { in: body.mentionIds }, type: 'mention', status: { not: 'resolved' } }] }, select: { id: true } });
      for (const m of mentions) {
        await s.actions.setStatus({ type: 'agent', id: caller.id, name: caller.name }, m.id, { status: 'resolved', reason: 'dismissed from the community stream' });
        resolved++;
      }
      return { dismissed, resolved };
    },
  );

  api.route(
    { method: 'get', path: '/mentions', tag: 'conversations', auth: 'agent', query: listQuery, summary: 'Public mentions, riskiest first: escalation risk, then reach (followers, reposts)' },
    async ({ caller, query }) => {
      const [ids, scope] = await Promise.all([s.access.inboxIds(caller), s.access.scope(caller)]);
      const { rows } = await s.db.pool.query(
        `SELECT c.id, c.reference, c.status::text AS status, c.inbox_id AS "inboxId", c.sentiment_label AS sentiment, c.sentiment_score AS "sentimentScore",
                c.complaint_category AS "complaintCategory", c.escalation_risk AS "escalationRisk", c.priority, c.last_message_preview AS "lastMessagePreview",
                c.last_message_at AS "lastMessageAt", c.linked_conversation_id AS "linkedConversationId",
                json_build_object('id', ct.id, 'name', ct.name) AS contact,
                json_build_object('followers', COALESCE(r.followers, 0), 'retweets', COALESCE(r.retweets, 0), 'likes', COALESCE(r.likes, 0)) AS reach,
                r.url, (SELECT i.kind::text FROM inboxes i WHERE i.id = c.inbox_id) AS channel
           FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
           LEFT JOIN LATERAL (
             SELECT max((${PUBLIC_POST}->'reach'->>'followers')::int) AS followers, sum((${PUBLIC_POST}->'reach'->>'retweets')::int) AS retweets,
                    sum((${PUBLIC_POST}->'reach'->>'likes')::int) AS likes, (array_agg(${PUBLIC_POST}->>'url' ORDER BY m.sent_at))[1] AS url
               FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound') r ON true
          WHERE c.type = 'mention' AND ($1::text = 'all' OR c.status::text = $1) AND ($2::boolean OR c.inbox_id = ANY($3::uuid[]))
            AND ($5::uuid IS NULL OR c.assignee_id = $5 OR c.team_id = ANY($6::uuid[]))
          ORDER BY c.escalation_risk DESC NULLS LAST, COALESCE(r.followers, 0) DESC, c.last_message_at DESC
          LIMIT $4`,
        [query.status, ids === 'all', ids === 'all' ? [] : ids, query.limit, scope?.agentId ?? null, scope?.teamIds ?? []],
      );
      return { data: rows };
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/link', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.reply' },
      body: z
        .object({
          conversationId: z.uuid().optional(),
          /** Or its reference, as agents say it ("#1042"). */
          reference: z.number().int().positive().optional(),
          holdingReply: z.string().trim().min(1).max(280).optional(),
        })
        .strict()
        .refine((b) => !!b.conversationId !== !!b.reference, { message: 'give the private conversation\'s id or its reference (one of them)' }),
      summary: 'Link a public mention to the same customer\'s private conversation: one contact, the private one raised for public exposure, an optional public holding reply',
      responses: { 200: '{ mention, conversation }', 400: 'Not a mention, or not a private conversation', 404: 'Either conversation is not in your inboxes' },
    },
    async ({ req, body, caller }) => {
      const mention = await s.access.conversation(caller, String(req.params.id));
      const target = body.conversationId ?? (await s.db.prisma.conversation.findUnique({ where: { reference: body.reference! }, select: { id: true } }))?.id;
      if (!target) throw new NotFoundError(`Conversation #${body.reference}`);
      const direct = await s.access.conversation(caller, target);
      await linkMention(s, { type: 'agent', id: caller.id, name: caller.name }, mention.id, direct.id, body.holdingReply);
      const [m, c] = await Promise.all([mention.id, direct.id].map((id) => s.db.prisma.conversation.findUniqueOrThrow({ where: { id }, select: { id: true, reference: true, contactId: true, priority: true, priorityFloor: true, linkedConversationId: true } })));
      return { mention: m, conversation: c };
    },
  );
}
