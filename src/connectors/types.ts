// The contract between the inbox and a channel. A connector knows its provider and nothing
// else: it turns provider payloads into InboundMessage (through ConnectorContext.intake) and
// sends OutboundMessage. The inbox only ever sees this contract, never a concrete connector.
import type { Router } from 'express';
import type { Server as SocketServer } from 'socket.io';
import type { z } from 'zod';
import type { ChannelKind, Database, Inbox } from '../platform/db/client';
import type { AppConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { Accepted } from '../inbox/pipeline/intake';
import type { InboundMessageInput } from '../inbox/pipeline/inbound-message';
import type { InboxDirectory } from '../inbox/inboxes/directory';
import type { RouteSpec } from '../platform/http/api-router';
import type { AttachmentStore } from '../inbox/attachments/store';
import type { ChannelCursors, ChannelDeadLetters } from '../inbox/channels/channel-state';
import type { DeliveryReports } from '../inbox/outbound/delivery-reports';
import type { ProviderEdits } from '../inbox/messages/provider-edits';

export interface OutboundMessage {
  message: { id: string; text: string; html: string | null; subject: string | null; automatic: boolean; createdAt: Date };
  conversation: { id: string; reference: number; subject: string | null; threadKey: string | null; type: 'direct' | 'mention'; token: string };
  inbox: Inbox;
  contact: { id: string; name: string | null; email: string | null; phone: string | null };
  identities: Array<{ kind: string; address: string; optedOut: boolean }>;
  /** Earlier messages of the conversation, oldest first (for quoting and threading headers). */
  history: Array<{ direction: string; text: string; externalId: string | null; sentAt: Date; senderName: string | null; metadata: unknown }>;
  agent: { id: string; name: string } | null;
}

export interface SendResult {
  /** The provider's id for what we sent (Message-ID, Slack ts, SMS sid, tweet id). */
  externalId?: string;
  status: 'sent' | 'delivered';
  metadata?: Record<string, unknown>;
}

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface SecretResolver {
  /** The secret named `name` for this inbox; throws a clear error when it is not configured. */
  get(inbox: Inbox, name: string): string;
}

export interface ConnectorContext {
  config: AppConfig;
  /** For a channel's own tables (widget visitors, SMS consent). */
  db: Database;
  logger: Logger;
  intake: { accept(inboxId: string, message: InboundMessageInput): Promise<Accepted> };
  inboxes: InboxDirectory;
  secrets: SecretResolver;
  attachments: AttachmentStore;
  /** How far each inbox has read its provider (UIDs, since_id). */
  cursors: ChannelCursors;
  /** Inbound items that could not be read: recorded once, shown to admins, skipped. */
  deadLetters: ChannelDeadLetters;
  /** Bounces and status callbacks for what we sent. */
  deliveryReports: DeliveryReports;
  /** A message edited or deleted in the provider's own app. */
  messages: ProviderEdits;
  /** Emits to a socket.io room of a namespace, from a web or a worker process alike. */
  realtime: { emit(namespace: string, room: string, event: string, payload: unknown): void };
  /** Sends through another inbox's channel (a chat reply copied by email to an absent visitor). */
  relay(inboxId: string, out: OutboundMessage): Promise<SendResult>;
}

export interface Connector {
  kind: ChannelKind;
  /** Validates an inbox's non-secret settings for this channel. */
  configSchema: z.ZodType<Record<string, unknown>>;
  /** Socket.io namespaces this channel serves (web role), e.g. the chat widget's. */
  sockets?(ctx: ConnectorContext, io: SocketServer): void;
  /** Webhook routes this channel adds, mounted at the server root (web role). */
  routes?(ctx: ConnectorContext): Router;
  /** Long-running inbound work (IMAP IDLE, polling) for one inbox (worker role). */
  startInbox?(ctx: ConnectorContext, inbox: Inbox): Promise<{ stop(): Promise<void> }>;
  send(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult>;
  /** An agent is typing in a conversation of this channel (shown to the customer where the channel can). */
  agentTyping?(ctx: ConnectorContext, conversation: { inboxId: string; threadKey: string | null }, agent: { name: string }, typing: boolean): void;
  testConnection?(ctx: ConnectorContext, inbox: Inbox): Promise<ConnectionCheck[]>;
  /** Its webhook routes, for the OpenAPI document. */
  documentation?: Array<RouteSpec<z.ZodType | undefined, z.ZodType | undefined>>;
  /** Tells an internal channel about an escalation or a rule's notification (Slack as an alert sink). */
  alert?(ctx: ConnectorContext, inbox: Inbox, alert: { text: string; kind: 'escalation' | 'rule'; conversationId: string }): Promise<void>;
  /** Values shown once when an inbox is created (signing secrets, embed snippets). */
  describeNewInbox?(ctx: ConnectorContext, inbox: Inbox): Record<string, unknown>;
}
