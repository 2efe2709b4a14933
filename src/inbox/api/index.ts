// The agent API under /api/v1, plus its OpenAPI document.
import { Router } from 'express';
import { ApiRouter } from '../../platform/http/api-router';
import type { SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';
import { analysisRoutes } from './analysis';
import { authorise, authRoutes, loginLimiter, resetRequestLimiter, type RouteAccess } from './auth';
import { contactRoutes } from './contacts';
import { contactImportRoutes } from './contact-imports';
import { contactMergeRoutes } from './contact-merges';
import { contactConsentRoutes } from './contact-consent';
import { privacyRoutes } from './privacy';
import { companyRoutes } from './companies';
import { conversationMergeRoutes } from './conversation-merges';
import { complaintRoutes } from './complaints';
import { incidentRoutes } from './incidents';
import { conversationRoutes } from './conversations';
import { inboxRoutes } from './inboxes';
import { peopleRoutes } from './people';
import { attachmentRoutes } from './attachments';
import { communityRoutes } from './community';
import { publicCommentRoutes } from './public-comments';
import { knowledgeRoutes } from './knowledge';
import { suggestionRoutes } from './suggestions';
import { macroRoutes } from './macros';
import { cannedResponseRoutes } from './canned-responses';
import { reportRoutes } from './reports';
import { routingRoutes } from './routing';
import { webhookRoutes } from './webhooks';
import { accountRoutes } from './account';
import { roleRoutes } from './roles';

export const API_PREFIX = '/api/v1';

export function agentApi(s: InboxServices): Router {
  const api = new ApiRouter<SessionAgent, RouteAccess>(authorise(s));
  authRoutes(api, s);
  conversationMergeRoutes(api, s);
  complaintRoutes(api, s);
  incidentRoutes(api, s);
  // Before conversationRoutes: /conversations/bulk is not a conversation id.
  macroRoutes(api, s);
  conversationRoutes(api, s);
  publicCommentRoutes(api, s);
  suggestionRoutes(api, s);
  knowledgeRoutes(api, s);
  // Before contactRoutes: /contacts/suggestions is not a contact id.
  contactMergeRoutes(api, s);
  contactRoutes(api, s);
  contactImportRoutes(api, s);
  contactConsentRoutes(api, s);
  privacyRoutes(api, s);
  companyRoutes(api, s);
  inboxRoutes(api, s);
  peopleRoutes(api, s);
  routingRoutes(api, s);
  webhookRoutes(api, s);
  accountRoutes(api, s);
  roleRoutes(api, s);
  reportRoutes(api, s);
  analysisRoutes(api, s);
  cannedResponseRoutes(api, s);
  attachmentRoutes(api, s);
  communityRoutes(api, s);
  // Channels document their own webhook routes.
  for (const connector of s.connectors.all()) for (const spec of connector.documentation ?? []) api.document(spec);
  const doc = api.openApi(
    { title: 'Engagement inbox API', version: '1', description: 'Conversations, messages, contacts and inboxes of the omnichannel inbox. Errors are { error: { code, message, details } }.' },
    API_PREFIX,
  );
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  const limiter = loginLimiter(s.redis, s.config.QUEUE_PREFIX);
  router.post('/auth/login', limiter);
  router.post('/auth/password-reset', limiter);
  // Every request counts here (not only failures): each would send a mail.
  router.post('/auth/password-reset/request', resetRequestLimiter(s.redis, s.config.QUEUE_PREFIX));
  router.post('/auth/invitation', limiter);
  router.use(api.router);
  return router;
}
