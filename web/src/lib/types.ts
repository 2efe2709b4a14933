// The shapes the agent API answers with (see /api/v1/openapi.json). Conversations and messages
// are the server's own view types; the rest are small enough to state here.
import type { ConversationView, MessageView, PriorityReason } from '../../../src/inbox/views';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent';
  availability: 'online' | 'busy' | 'offline';
  /** The role's name (a custom role's, when they have one) and its permissions (src/inbox/agents/permissions.ts), from /auth/me. */
  roleName?: string;
  permissions?: string[];
}

export const can = (agent: Agent, permission: string) => agent.permissions?.includes(permission) ?? false;

export type PriorityFactor = NonNullable<PriorityReason['factors']>[number];

/** The server's views are the single source (src/inbox/views.ts): the same shape live and listed. */
export type Conversation = ConversationView;
export type Message = MessageView;
export type ExplanationItem = NonNullable<MessageView['signals']>['explanation']['sentiment'][number];

export interface ConversationEvent {
  type: 'conversation.created' | 'conversation.updated';
  conversation: Conversation;
}

export interface MessageEvent {
  type: 'message.created' | 'message.updated';
  conversationId: string;
  message: Message;
  /** The conversation as the message left it (new messages and replies carry it). */
  conversation?: Conversation;
}

export interface PresenceEvent {
  conversationId: string;
  viewers: Array<{ id: string; name: string }>;
}

export interface TypingEvent {
  conversationId: string;
  agent: { id: string; name: string };
  typing: boolean;
}

/** GET /reports/summary: the server's own type (src/inbox/reports/rollups.ts). */
export type { Report } from '../../../src/inbox/reports/rollups';

/** The analysis models and the corrections they learned from (src/inbox/api/analysis.ts). */
export type { AnalysisModels } from '../../../src/inbox/api/analysis';
