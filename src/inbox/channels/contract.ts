// The contract between the inbox and a channel, and the only file of the inbox a connector
// may import (the lint's `no-restricted-imports` holds both sides to it). A connector knows its
// provider and nothing else: it turns provider payloads into InboundMessageInput (through
// `ctx.intake`) and sends OutboundMessage. What it needs of the inbox is a narrow port here —
// never the database, never an inbox class — and the inbox knows connectors only as this
// interface, wired in by src/app.ts.
import type { Readable } from 'node:stream';
import type { Router } from 'express';
import type { Server as SocketServer } from 'socket.io';
import type { z } from 'zod';
import type { ChannelKind, IdentityKind, Inbox, Prisma } from '../../platform/db/client';
import type { AppConfig } from '../../platform/config';
import type { RouteSpec } from '../../platform/http/api-router';
import type { HitCounter } from '../../platform/window-limit';
import type { Logger } from '../../platform/logger';
import type { InboundMessageInput } from '../pipeline/inbound-message';

export type { InboundMessageInput } from '../pipeline/inbound-message';
/** A phone number in E.164 when it parses as one (identities are stored so). */
export { e164 } from '../contacts/identity';

// --- what crosses the contract ---

/** What the intake answers for a message it took (stored durably; threaded and analysed later). */
export interface Accepted {
  /** The id the message will have once threaded. */
  messageId: string;
  receiptId: string;
  /** This external id was already accepted before; nothing new was stored. */
  duplicate: boolean;
}

export interface OutboundMessage {
  message: { id: string; text: string; html: string | null; subject: string | null; automatic: boolean; createdAt: Date };
  conversation: { id: string; reference: number; subject: string | null; threadKey: string | null; type: 'direct' | 'mention'; token: string };
  inbox: Inbox;
  contact: { id: string; name: string | null; email: string | null; phone: string | null };
  /** The customer's language (their own, else what they last wrote in; ISO 639-1 or 639-3), for what the channel adds (an email's footer). */
  language?: string | null;
  identities: Array<{ kind: string; address: string; optedOut: boolean }>;
  /** For automatic messages and surveys: where the customer stops them (put in the message where the channel allows, e.g. List-Unsubscribe). */
  unsubscribeUrl?: string;
  /** An approved template the agent chose (WhatsApp outside the 24-hour window): sent as it, with these parameters. */
  template?: OutboundTemplate;
  /** Answer this public comment (its external id) privately: the platform's private reply, which opens a direct-message thread. */
  privateReplyTo?: string;
  /** The message asks for a rating (a satisfaction survey or a follow-up): a channel with buttons shows them (the widget's rating card). */
  survey?: { id: string; kind: string };
  /** Earlier messages of the conversation, oldest first (for quoting and threading headers). */
  history: Array<{ direction: string; text: string; externalId: string | null; sentAt: Date; senderName: string | null; metadata: unknown }>;
  agent: { id: string; name: string } | null;
}

export interface OutboundTemplate {
  name: string;
  language: string;
  parameters: string[];
}

export interface SendResult {
  /** The provider's id for what we sent (Message-ID, Slack ts, SMS sid, tweet id). */
  externalId?: string;
  status: 'sent' | 'delivered';
  metadata?: Record<string, unknown>;
  /** The send opened a thread (a private reply to a comment opens a DM): its key, and the customer's address there, so their answer joins this conversation. */
  opened?: { threadKey: string; identity?: { kind: IdentityKind; address: string } };
}

/** Where a platform's rules differ from ours: what the composer says before the agent types. */
export interface ReplyRules {
  /** The platform's customer-service window: free-form replies only within it. */
  window?: { hours: number; closesAt: string | null; closedAt: string | null };
  /** Approved templates the agent may send (outside the window, the only thing that may go). */
  templates?: Array<{ name: string; language: string; parameters: number; text?: string }>;
  /** Longest text the platform takes. */
  maxLength?: number;
  /** One sentence for the composer, e.g. "WhatsApp's 24-hour window closed 3 h ago: choose a template". */
  notice?: string;
  /** The same notice as data, for an app to say in its agent's language (`notice` is its English). */
  noticeKey?: ReplyNotice;
  /** Replies are refused until a template is chosen. */
  templateRequired?: boolean;
}

/**
 * What the composer's notice says: the window closes in `hours` / closed `hours` ago / the
 * customer never wrote (so it is closed), or a public reply. `templates`: approved templates
 * are what may go once it is closed.
 */
export type ReplyNotice =
  | { key: 'windowCloses' | 'windowClosed' | 'neverWrote'; platform: string; windowHours: number; hours?: number; templates: boolean }
  | { key: 'publicReply'; platform: string };

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string;
}

export type ReportedStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A message of a thread as its customer may see it: theirs and our replies, never notes. */
export interface ThreadMessage {
  id: string;
  direction: string;
  text: string;
  sentAt: string;
  /** 'you' for the customer's own; an agent's first name (or 'Support') for ours. */
  author: string;
  clientId: string | null;
  status: string | null;
  /** A survey's message: the widget shows its rating card. */
  survey?: { id: string; kind: string };
}

// --- the ports ---

export interface SecretResolver {
  /** The secret named `name` for this inbox; throws a clear error when it is not configured. */
  get(inbox: Inbox, name: string): string;
}

export interface Intake {
  accept(inboxId: string, message: InboundMessageInput): Promise<Accepted>;
}

export interface InboxLookup {
  find(id: string): Promise<Inbox | null>;
  get(id: string): Promise<Inbox>;
  /** The inbox, when the token is its own; throws an unauthorised error otherwise. */
  authenticate(id: string, token: string | undefined): Promise<Inbox>;
  /** Every inbox of these channels (one app's webhook serving several pages finds its inbox by page id). */
  ofKind(kinds: ChannelKind[]): Promise<Inbox[]>;
}

/** How far each inbox has read its provider (UIDs, since_id). */
export interface CursorStore {
  get<T>(inboxId: string, key: string): Promise<T | null>;
  set(inboxId: string, key: string, value: Prisma.InputJsonValue): Promise<void>;
}

/** Inbound items that could not be read: recorded once, shown to admins, skipped. Answers whether it was new. */
export interface DeadLetterStore {
  record(inboxId: string, key: string, error: string, detail?: Prisma.InputJsonValue): Promise<boolean>;
}

/** A provider's later word on what we sent (bounces, status callbacks, read receipts). Each answers the message's id, or null. */
export interface DeliveryReportPort {
  report(inboxId: string, externalId: string, status: ReportedStatus, error?: string): Promise<string | null>;
  reportMessage(messageId: string, status: ReportedStatus): Promise<string | null>;
  /** Delivery is delayed (the provider keeps trying): a note on the message, its status unchanged. */
  delayed(inboxId: string, externalId: string, note: string): Promise<string | null>;
  /** The customer of a thread has read our replies up to this one: answers the ids marked read. */
  readUpTo(inboxId: string, threadKey: string, messageId: string): Promise<string[]>;
}

/** A message edited or deleted in the provider's own app. */
export interface ProviderEditPort {
  edited(inboxId: string, externalId: string, text: string): Promise<string | null>;
  deleted(inboxId: string, externalId: string): Promise<string | null>;
}

export interface AttachmentStore {
  /** Stores the bytes; answers the key to read them back with. */
  put(bytes: Buffer): Promise<string>;
  /** The bytes of a stored key, or null when they are gone. */
  open(key: string): Promise<Readable | null>;
  /** Deletes the bytes for good (erasure, retention); a key already gone is no error. */
  remove(key: string): Promise<void>;
}

/** A phone number's consent (STOP / START), kept on its identity — the SMS number's, or the WhatsApp number's (each channel's own): nothing is sent to it while opted out. */
export interface PhoneConsent {
  setOptOut(phone: string, optedOut: boolean, channel?: 'sms' | 'whatsapp'): Promise<void>;
  isOptedOut(phone: string, channel?: 'sms' | 'whatsapp'): Promise<boolean>;
}

/** What a channel may read of a conversation it carries, by its thread. */
/** A rating given in a channel's own controls (the widget's rating card, buttons). */
export interface SurveyAnswerPort {
  /** Records it when the survey belongs to this thread of this inbox; answers false otherwise. */
  rate(o: { surveyId: string; rating: number; inboxId: string; threadKey: string }): Promise<boolean>;
}

export interface ThreadLookup {
  history(inboxId: string, threadKey: string, limit?: number): Promise<ThreadMessage[]>;
  /** The addresses of one kind the thread's customer is known by (empty when the thread is unknown). */
  customerAddresses(inboxId: string, threadKey: string, kind: string): Promise<string[]>;
}

/** Who of the team an address belongs to (a colleague answering in the provider's app). */
export interface AgentLookup {
  byEmail(email: string): Promise<{ id: string } | null>;
}

/** Customers connected live (the chat widget): a worker asks before it emails a reply instead. */
export interface CustomerPresence {
  connected(inboxId: string, visitor: { id: string; threadKey: string }): Promise<void>;
  disconnected(visitorId: string): Promise<void>;
  /** Still here (a heartbeat). */
  seen(visitorIds: string[]): Promise<void>;
  /** Someone of this thread is connected now. */
  online(inboxId: string, threadKey: string): Promise<boolean>;
}

/** A post a listening topic found (X recent search): not addressed to the brand, so not a customer message yet. */
export interface ListenedPostInput {
  /** The provider's id of the post. */
  postId: string;
  text: string;
  url: string;
  author: { id?: string; username: string; name?: string; followers: number };
  postedAt?: string;
  language?: string;
  metrics: { retweets: number; likes: number; replies: number; quotes: number };
  /** The post as this channel delivers a mention: what promoting it to a conversation hands the intake. */
  asMention: InboundMessageInput;
}

/** Listening topics of an inbox and the posts they find (src/inbox/community). */
export interface ListeningPort {
  /** The enabled topics of an inbox, with their queries as written. */
  topics(inboxId: string): Promise<Array<{ id: string; query: string }>>;
  /** Stores what a topic found, each post once, analysed; a promotion rule may make one a conversation. Answers how many were new. */
  accept(inboxId: string, topicId: string, posts: ListenedPostInput[]): Promise<{ stored: number }>;
}

/** The knowledge base as customers see it (the widget's self-service): published articles for customers of one inbox. */
export interface HelpCenterPort {
  /** The articles best matching what the customer typed, in their language first. */
  search(inboxId: string, q: string, language: string | null, limit?: number): Promise<Array<{ id: string; title: string; snippet: string }>>;
  /** One article as plain text (counted as a view), or null when it is not this inbox's published article. */
  article(inboxId: string, id: string, visitorId?: string): Promise<{ id: string; title: string; text: string; language: string } | null>;
  /** "This solved it" (a deflection) or "not helpful"; a hand-over to a person. */
  record(kind: 'helpful' | 'not_helpful' | 'deflected' | 'handed_over', o: { inboxId: string; articleId?: string; visitorId?: string }): Promise<void>;
  /** The titles of articles (what a customer read before asking), in the order given. */
  titles(ids: string[]): Promise<Array<{ id: string; title: string }>>;
}

/** What an internal channel is told: its words, and what to open (a conversation, or a link into the app). */
export interface ChannelAlert {
  text: string;
  kind: 'escalation' | 'rule' | 'spike';
  conversationId?: string;
  /** A path in the app, e.g. "/#community". */
  link?: string;
}

export interface ConnectorContext {
  config: AppConfig;
  /** Where customers and providers reach this installation: PUBLIC_URL, or the port really listened on (PORT=0 picks one). */
  publicUrl(): string;
  logger: Logger;
  intake: Intake;
  inboxes: InboxLookup;
  secrets: SecretResolver;
  attachments: AttachmentStore;
  cursors: CursorStore;
  deadLetters: DeadLetterStore;
  deliveryReports: DeliveryReportPort;
  messages: ProviderEditPort;
  consent: PhoneConsent;
  threads: ThreadLookup;
  surveys: SurveyAnswerPort;
  listening: ListeningPort;
  help: HelpCenterPort;
  agents: AgentLookup;
  presence: CustomerPresence;
  /** Emits to a socket.io room of a namespace, from a web or a worker process alike. */
  realtime: { emit(namespace: string, room: string, event: string, payload: unknown): void };
  /** Sends through another inbox's channel (a chat reply copied by email to an absent visitor). */
  relay(inboxId: string, out: OutboundMessage): Promise<SendResult>;
  /** Rate limits shared by every web process (through Redis when there is one): `name` keeps each use's keys apart. */
  limits(name: string, windowMs: number): HitCounter;
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
  /** The platform's rules for a reply in this conversation (windows, templates), given when the customer last wrote. */
  replyRules?(inbox: Inbox, conversation: { type: 'direct' | 'mention'; lastCustomerMessageAt: Date | null }, now: Date): ReplyRules;
  /** It can answer a public comment privately (OutboundMessage.privateReplyTo). */
  canReplyPrivately?: boolean;
  /** Hides (or shows again) a public comment on the platform (an abusive comment under a post). */
  moderate?(ctx: ConnectorContext, inbox: Inbox, comment: { externalId: string; hidden: boolean }): Promise<void>;
  /** Its webhook routes, for the OpenAPI document. */
  documentation?: Array<RouteSpec<z.ZodType | undefined, z.ZodType | undefined>>;
  /** Tells an internal channel about an escalation, a rule's notification or a spike of posts about the brand (Slack as an alert sink). */
  alert?(ctx: ConnectorContext, inbox: Inbox, alert: ChannelAlert): Promise<void>;
  /** Values shown once when an inbox is created (signing secrets, embed snippets). */
  describeNewInbox?(ctx: ConnectorContext, inbox: Inbox): Record<string, unknown>;
}
