import type { Connector } from '../../inbox/channels/contract';
import { apiInboundRoutes, apiMessageSchema } from './inbound';
import { sendApiReply } from './outbound';
import { apiInboxConfigSchema, webhookSecret } from './setup';

export const apiConnector: Connector = {
  kind: 'api',
  configSchema: apiInboxConfigSchema,
  routes: apiInboundRoutes,
  send: sendApiReply,
  documentation: [
    {
      method: 'post', path: '/api/v1/inboxes/:inboxId/messages', tag: 'channels', auth: 'none', body: apiMessageSchema,
      summary: 'API channel: post a customer message with the inbox token (Authorization: Bearer <inbox token>). Idempotent on externalId',
      responses: { 202: '{ id, status: "accepted", duplicate }', 401: 'Wrong or missing inbox token', 404: 'Unknown inbox', 413: 'Body over the size limit' },
    },
  ],
  describeNewInbox: (ctx, inbox) => ({
    endpoint: `${ctx.publicUrl()}/api/v1/inboxes/${inbox.id}/messages`,
    webhookSecret: webhookSecret(ctx.config.appSecret, inbox.id),
  }),
};
