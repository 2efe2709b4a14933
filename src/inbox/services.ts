// Everything the inbox's HTTP and socket layers call, built once by the composition root
// (src/app.ts) and handed down. Nothing here constructs its own dependencies.
import type { AppConfig } from '../platform/config';
import type { Database } from '../platform/db/client';
import type { Logger } from '../platform/logger';
import type { QueueBackend } from '../platform/queue';
import type { ConnectorRegistry } from './channels/registry';
import type { ConnectorContext } from './channels/contract';
import type { Access } from './access';
import type { Sessions } from './agents/sessions';
import type { ConversationActions } from './conversations/actions';
import type { InboxEventBus } from './events';
import type { InboxDirectory } from './inboxes/directory';
import type { Replies } from './messages/reply';
import type { Intake } from './pipeline/intake';
import type { RoutingRules, SlaPolicies } from './routing/sla-policies';
import type { Listening } from './community/listening';
import type { KnowledgeBase } from './knowledge/articles';
import type { HelpCenter } from './knowledge/help-center';
import type { Suggestions } from './suggestions/suggest';
import type { ReportTimeZones } from './reports/time-zones';

import type { EventLog } from './realtime/event-log';
import type { Webhooks } from './webhooks/webhooks';
import type { AgentLifecycle } from './agents/lifecycle';
import type { PasswordResetMail } from './agents/password-reset-mail';
import type { ApiTokens } from './agents/api-tokens';
import type { Redis } from 'ioredis';

export interface InboxServices {
  config: AppConfig;
  /** The time: the system clock, or a test's moving clock (surveys, follow-ups, status changes). */
  clock: () => Date;
  logger: Logger;
  db: Database;
  queue: QueueBackend;
  events: InboxEventBus;
  inboxes: InboxDirectory;
  intake: Intake;
  sessions: Sessions;
  access: Access;
  replies: Replies;
  actions: ConversationActions;
  connectors: ConnectorRegistry;
  connectorContext: ConnectorContext;
  rules: RoutingRules;
  slaPolicies: SlaPolicies;
  /** The community manager's listening stream (what topics find on social networks). */
  listening: Listening;
  /** Help articles: the editor's, the search's. */
  knowledge: KnowledgeBase;
  /** The knowledge base as customers see it (help page, widget). */
  help: HelpCenter;
  /** Suggested replies from solved conversations and articles. */
  suggestions: Suggestions;
  /** The time zones reports are counted in (each agent's own days). */
  reportZones: ReportTimeZones;
  /** Live events kept for agents' sockets that reconnect. */
  eventLog: EventLog;
  webhooks: Webhooks;
  /** Invitations, passwords, two-factor login, deactivation. */
  lifecycle: AgentLifecycle;
  passwordResetMail: PasswordResetMail;
  apiTokens: ApiTokens;
  /** An agent's role or memberships changed: their live sockets are cut and reconnect into the rooms of what they see now. */
  accessChanged(agentIds: string[]): void;
  /** A general Redis connection (shared counters such as login rate limits); null without Redis. */
  redis: Redis | null;
}
