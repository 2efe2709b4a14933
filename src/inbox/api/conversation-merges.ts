// Merging two conversations of one person into one timeline, splitting messages off into a new
// conversation, and undoing either; each shows in the conversations' activity.
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { mergeConversations, splitConversation, undoConversationChange } from '../conversations/merge';
import type { InboxServices } from '../services';
import { loadConversationView } from '../views';
import type { AgentApi } from './auth';
import { agentActor } from './conversations';

export function conversationMergeRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;

  api.route(
    {
      method: 'post', path: '/conversations/:id/merge', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'contacts.merge' },
      body: z.object({ conversationId: z.uuid().describe('merged into this one: its messages join this timeline, it goes') }).strict(),
      summary: 'Merge another conversation of the same contact into this one (undo: POST /conversations/merges/{id}/undo)',
      responses: { 200: '{ id, targetId, sourceId, moved }', 404: 'A conversation you do not see', 409: 'Of different contacts, or a mention and a private conversation' },
    },
    async ({ req, body, caller }) => {
      const targetId = String(req.params.id);
      const source = await s.access.conversationNow(caller, body.conversationId);
      const place = await prisma.conversation.findUniqueOrThrow({ where: { id: source.id }, select: { teamId: true, assigneeId: true } });
      const done = await mergeConversations(s.db, { targetId, sourceId: source.id, agentId: caller.id });
      s.events.emit({ type: 'conversation.deleted', inboxId: source.inboxId, conversationId: source.id, place });
      await s.actions.record(agentActor(caller), targetId, { text: `Merged #${done.sourceReference} into this conversation (${done.moved} messages)`, kind: 'merged', data: { changeId: done.id, conversationId: source.id } });
      return done;
    },
  );

  api.route(
    {
      method: 'post', path: '/conversations/:id/split', tag: 'conversations', auth: 'agent', access: { conversation: 'id', permission: 'contacts.merge' },
      body: z.object({ messageIds: z.array(z.uuid()).min(1).max(1_000).describe('the messages that become a new conversation') }).strict(),
      summary: 'Split messages off into a new conversation of the same contact and inbox (undo: POST /conversations/merges/{id}/undo)',
      responses: { 200: '{ id, targetId, sourceId (the new conversation), moved }', 400: 'A message not in this conversation, or all of them' },
    },
    async ({ req, body, caller }) => {
      const done = await splitConversation(s.db, { conversationId: String(req.params.id), messageIds: body.messageIds, agentId: caller.id });
      const created = await loadConversationView(s.db.pool, done.sourceId);
      if (created) s.events.emit({ type: 'conversation.created', inboxId: created.inbox.id, conversation: created });
      await s.actions.record(agentActor(caller), done.targetId, { text: `Split ${done.moved} messages off into #${done.sourceReference}`, kind: 'split', data: { changeId: done.id, conversationId: done.sourceId } });
      await s.actions.record(agentActor(caller), done.sourceId, { text: `Split off from #${done.targetReference}`, kind: 'split', data: { changeId: done.id, conversationId: done.targetId } });
      return done;
    },
  );

  api.route(
    { method: 'post', path: '/conversations/merges/:id/undo', tag: 'conversations', auth: 'agent', access: { permission: 'contacts.merge' }, summary: 'Undo a merge or a split of conversations', responses: { 404: 'No such merge or split', 409: 'Undone already, or the conversation is gone' } },
    async ({ req, caller }) => {
      const id = String(req.params.id);
      const change = isUuid(id) ? await prisma.conversationMerge.findUnique({ where: { id }, select: { targetId: true, kind: true, sourceId: true } }) : null;
      if (!change) throw new NotFoundError('Merge');
      await s.access.conversationNow(caller, change.targetId);
      // Where the split-off conversation was, for those who see it to hear it went.
      const splitPlace = change.kind === 'split' ? await prisma.conversation.findUnique({ where: { id: change.sourceId }, select: { inboxId: true, teamId: true, assigneeId: true } }) : null;
      const done = await undoConversationChange(s.db, { changeId: id, agentId: caller.id });
      if (done.kind === 'merge') {
        const back = await loadConversationView(s.db.pool, done.sourceId);
        if (back) s.events.emit({ type: 'conversation.created', inboxId: back.inbox.id, conversation: back });
      } else if (splitPlace) {
        s.events.emit({ type: 'conversation.deleted', inboxId: splitPlace.inboxId, conversationId: done.sourceId, place: { teamId: splitPlace.teamId, assigneeId: splitPlace.assigneeId } });
      }
      await s.actions.record(agentActor(caller), done.targetId, { text: done.kind === 'merge' ? `Undid the merge of #${done.sourceReference}` : `Took back the messages split off into #${done.sourceReference}`, kind: done.kind === 'merge' ? 'unmerged' : 'unsplit', data: { changeId: id } });
      return done;
    },
  );
}
