// Domain events of the inbox. Emitted after the write commits; realtime, routing, webhooks
// and reports subscribe (see src/platform/events.ts).
import type { EventBus } from '../platform/events';
import type { ConversationView, MessageView } from './views';
import type { ListenedPostView, SpikeAlertView } from './community/posts';

export type InboxEvent =
  /**
   * `conversation`: the conversation as this message left it (new inbound messages, replies).
   * The message's own effects on it (last message, waiting time, priority, sentiment) are not
   * sent again as conversation.updated: one event per message, not two, to every agent of
   * the inbox. A status it changed (a reopen) still is.
   */
  | { type: 'message.created'; inboxId: string; conversationId: string; message: MessageView; conversation?: ConversationView; audience?: Audience }
  /** A delivery status, a read receipt, an edit: told to the agents viewing the conversation only (the list does not show them). */
  | { type: 'message.updated'; inboxId: string; conversationId: string; message: MessageView }
  | { type: 'conversation.created'; inboxId: string; conversation: ConversationView }
  /** `was`: its team and assignee before, when this change moved it (those who saw it hear that it left). */
  | { type: 'conversation.updated'; inboxId: string; conversation: ConversationView; changes: string[]; was?: ConversationPlace }
  | { type: 'conversation.deleted'; inboxId: string; conversationId: string; place?: ConversationPlace }
  /** Routing escalated it (whether or not someone took it): for alert channels. */
  | { type: 'conversation.escalated'; inboxId: string; conversationId: string; text: string; place?: ConversationPlace }
  /** Routing tells the agents of an inbox (and admins) something needs attention. */
  | { type: 'notification'; inboxId: string; conversationId: string; text: string; from: string; kind?: 'escalation' | 'rule'; place?: ConversationPlace }
  /** A listening topic found a post (the community view shows it live): told to the inbox's agents. */
  | { type: 'community.post'; inboxId: string; post: ListenedPostView }
  /** A spike of posts about a topic (spike-watch.ts): the app, the alert channels and mail hear it. */
  | { type: 'community.alert'; inboxId: string; alert: SpikeAlertView }
  /** An agent was @mentioned in a private note: told to that agent only. */
  | { type: 'agent.mentioned'; inboxId: string; conversationId: string; agentId: string; text: string; from: string };

/**
 * Who is told in real time. `inbox` (default): every agent of the inbox, whose list shows the
 * change. `viewers`: only the agents viewing the conversation (its timeline): activity lines
 * and automatic replies, whose effect on the list travels once per conversation as
 * conversation.updated. Other subscribers (webhooks, reports) hear every event alike.
 */
/**
 * A conversation's team and assignee, for events that do not carry the conversation: realtime
 * sends them to agents who see only their team's or their own conversations (realtime/rooms.ts).
 */
export interface ConversationPlace {
  teamId: string | null;
  assigneeId: string | null;
}

export type Audience = 'inbox' | 'viewers';

export type InboxEventBus = EventBus<InboxEvent>;
