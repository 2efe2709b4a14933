// What a channel's rules allow in a conversation (the composer's notice: windows, templates),
// and what agents do with public comments on Messenger and Instagram: answer one privately
// (the platform's private reply, linked to the DM) and hide or show it again.
import { z } from 'zod';
import { replyPrivately } from '../conversations/private-reply';
import { setCommentHidden } from '../messages/moderation';
import { replyRulesFor } from '../messages/reply-rules';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

export function publicCommentRoutes(api: AgentApi, s: InboxServices): void {
  api.route(
    {
      method: 'get', path: '/conversations/:id/reply-rules', tag: 'conversations', auth: 'agent', access: { conversation: 'id' },
      summary: "The channel's rules for a reply now: its window (when it closes or closed), approved templates, longest text, and the composer's notice",
      responses: { 200: '{ channel, window?, templates?, maxLength?, notice?, templateRequired? }', 404: 'No such conversation in your inboxes' },
    },
    async ({ req, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return replyRulesFor(s, id);
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/private-reply', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.reply' },
      body: z.object({ text: z.string().trim().min(1, 'must not be empty').max(2_000), messageId: z.uuid().optional().describe('The comment to answer (default: the latest)') }).strict(),
      summary: "Answer a public comment privately (Messenger, Instagram): a direct message to the commenter, in their DM conversation (opened when new) linked to this one",
      responses: { 200: '{ conversation, message }', 400: 'Not a public comment, or the channel has no private reply', 404: 'No such conversation or comment', 409: 'This comment was already answered privately' },
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return replyPrivately(s, { type: 'agent', id: caller.id, name: caller.name }, id, body);
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/messages/:messageId/hidden', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'conversations.reply' },
      body: z.object({ hidden: z.boolean() }).strict(),
      summary: 'Hide a public comment on the platform (or show it again): the message records it',
      responses: { 200: 'The message', 400: 'Not a customer\'s comment on a channel that hides comments', 404: 'No such conversation or message', 502: 'The platform refused' },
    },
    async ({ req, body, caller }) => {
      const { id } = await s.access.conversation(caller, String(req.params.id));
      return setCommentHidden(s, { type: 'agent', id: caller.id, name: caller.name }, id, String(req.params.messageId), body.hidden);
    },
  );
}
