// Suggested replies and the hand-over summary on the API: computed on this server from the
// conversations and articles in the database; nothing leaves it.
import { z } from 'zod';
import { handOverSummary } from '../suggestions/summary';
import { SUGGESTION_ACTIONS } from '../suggestions/suggest';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

export function suggestionRoutes(api: AgentApi, s: InboxServices): void {
  api.route(
    {
      method: 'get', path: '/conversations/:id/suggestions', tag: 'conversations', auth: 'agent', access: { conversation: 'id' },
      summary: 'Up to three suggested replies: answers agents sent in similar solved conversations and a help article, each with why, filled in for this customer',
      responses: { 200: '{ data: [{ kind, key, text, reason, score, source }] }' },
    },
    async ({ req, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      const data = await s.suggestions.forConversation(id, await s.access.inboxIds(caller));
      await s.suggestions.record(caller.id, id, data, 'shown');
      return { data };
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/suggestions/feedback', tag: 'conversations', auth: 'agent', access: { conversation: 'id' },
      body: z.object({ key: z.string().min(1).max(100), kind: z.enum(['answer', 'article']), action: z.enum(SUGGESTION_ACTIONS) }).strict(),
      summary: 'What the agent did with a suggestion: used as it was, used after editing, or ignored (it moves the answer up or down)',
      responses: { 204: 'Recorded' },
    },
    async ({ req, body, caller, res }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      await s.suggestions.record(caller.id, id, [{ key: body.key, kind: body.kind }], body.action);
      res.status(204);
    },
  );

  api.route(
    {
      method: 'get', path: '/conversations/:id/summary', tag: 'conversations', auth: 'agent', access: { conversation: 'id' },
      summary: 'The hand-over summary: the customer\'s key sentences, the last promise made, what is still open — each linked to its message',
      responses: { 200: '{ data: [{ label, text, messageId }] }' },
    },
    async ({ req, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return { data: await handOverSummary(s.db, id) };
    },
  );
}
