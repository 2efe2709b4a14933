// Attachment downloads for agents who can see the message's conversation. Always served as a
// download (never rendered by the browser) so a customer's file cannot run in our origin.
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

export function attachmentRoutes(api: AgentApi, s: InboxServices): void {
  api.route(
    { method: 'get', path: '/attachments/:id', tag: 'conversations', auth: 'agent', summary: 'Download an attachment', responses: { 200: 'The file', 404: 'No such attachment in your inboxes, or its bytes were not kept (over the size limit)' } },
    async ({ req, res, caller }) => {
      const id = z.uuid().safeParse(req.params.id).data;
      const a = id ? await s.db.prisma.attachment.findUnique({ where: { id }, include: { message: { select: { conversationId: true } } } }) : null;
      // Seen with its conversation: a role that sees only its team's conversations sees only their files.
      if (!a || !(await s.access.conversation(caller, a.message.conversationId).then(() => true, () => false))) throw new NotFoundError('Attachment');
      if (!a.storageKey) {
        if (a.url) return void res.redirect(302, a.url);
        throw new NotFoundError('Attachment file (it was over the size limit and not kept)');
      }
      const stream = await s.connectorContext.attachments.open(a.storageKey);
      if (!stream) throw new NotFoundError('Attachment file');
      res.setHeader('content-type', a.contentType || 'application/octet-stream');
      res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('content-security-policy', "default-src 'none'; sandbox");
      await pipeline(stream, res);
    },
  );
}
