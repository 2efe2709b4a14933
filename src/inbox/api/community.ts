// The community manager's view: public mentions ranked by risk (escalation risk, then how
// many people can see them), and the bridge from a public mention to a private conversation.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { linkMention } from '../conversations/link';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const listQuery = z.object({
  status: z.enum(['open', 'pending', 'snoozed', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function communityRoutes(api: AgentApi, s: InboxServices): void {
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
                r.url
           FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
           LEFT JOIN LATERAL (
             SELECT max((m.metadata->'twitter'->'reach'->>'followers')::int) AS followers, sum((m.metadata->'twitter'->'reach'->>'retweets')::int) AS retweets,
                    sum((m.metadata->'twitter'->'reach'->>'likes')::int) AS likes, (array_agg(m.metadata->'twitter'->>'url' ORDER BY m.sent_at))[1] AS url
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
